import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort, retrievalPort } from '../sdk/ports.ts';

export const toolPolicies = ['auto', 'ask', 'deny'] as const;

/** `node:<type>` (a Trellis node type) or `mcp:<serverId>/<tool>` (a registered MCP server's tool). */
export const TOOL_REF_PATTERN = '^(node:[a-z0-9][a-z0-9.-]*|mcp:[^/]+/.+)$';

const budgetSchema = {
  type: 'object',
  additionalProperties: false,
  title: 'Budget',
  description:
    'Can only lower the defaults (the agent registry entry for this node type, else conservative ones). When one is spent the loop stops and a person finishes.',
  properties: {
    maxSteps: { type: 'integer', minimum: 1, maximum: 50, title: 'Most model calls' },
    maxTokens: { type: 'integer', minimum: 1, title: 'Most tokens, every call together' },
    maxCostUsd: { type: 'number', minimum: 0, title: 'Most dollars, every call together' },
    maxWallMs: { type: 'integer', minimum: 1, title: 'Longest the loop may run (ms; waits for people not counted)' },
  },
} as const;

/**
 * A model that works towards a goal by calling tools: Trellis node types and MCP tools. Every
 * model call and tool call is its own step in the run's history; side-effecting tools ask a
 * person first; budgets and loop detection end the loop into a task for a person, never silently.
 */
export const agentDeclaration = {
  type: 'agent',
  version: 1,
  title: 'Agent',
  description:
    'Works towards a goal with a model that calls tools (Trellis nodes and MCP tools). Tools that change things ask you first; budgets and loops stop it and hand the work to you.',
  category: 'ai',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['goal', 'tools'],
    properties: {
      goal: {
        type: 'string',
        minLength: 1,
        maxLength: 20_000,
        title: 'Goal',
        description: 'Mustache, rendered with the inputs: {{event.payload.text}}, {{data.field}}.',
        default: 'Answer {{event.actor.name}}: {{event.payload.text}}',
      },
      instructions: { type: 'string', maxLength: 5_000, title: 'Instructions' },
      tier: {
        enum: ['local', 'provider'],
        default: 'provider',
        title: 'Model tier',
        description: 'The most expensive tier the router may use for each step.',
      },
      tools: {
        type: 'array',
        maxItems: 32,
        title: 'Tools',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['ref'],
          properties: {
            ref: { type: 'string', pattern: TOOL_REF_PATTERN, title: 'Tool (node:<type> or mcp:<serverId>/<tool>)' },
            policy: {
              enum: toolPolicies,
              title: 'Policy',
              description: 'Default: ask for side-effecting nodes and every MCP tool, auto for read-only nodes.',
            },
            config: { type: 'object', title: 'Node config', description: 'For node: tools, the node’s config.' },
            description: { type: 'string', maxLength: 1_000, title: 'What the model is told the tool does' },
          },
        },
      },
      budget: budgetSchema,
    },
  },
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      event: eventPort,
      context: retrievalPort,
      data: { type: 'object', title: 'Data', additionalProperties: true },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['answer', 'steps', 'usage', 'calls'],
    properties: {
      answer: { type: 'string', title: 'Answer' },
      steps: { type: 'integer', minimum: 0, title: 'Model calls' },
      usage: {
        type: 'object',
        additionalProperties: false,
        required: ['tokens', 'costUsd'],
        properties: { tokens: { type: 'integer', minimum: 0 }, costUsd: { type: 'number', minimum: 0 } },
      },
      calls: {
        type: 'array',
        title: 'Tool calls',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['tool', 'policy', 'digest', 'ok'],
          properties: {
            tool: { type: 'string' },
            policy: { enum: toolPolicies },
            decision: { enum: ['approved', 'edited', 'rejected', 'expired'] },
            digest: { type: 'string' },
            ok: { type: 'boolean' },
          },
        },
      },
      finishedBy: { type: 'string', title: 'Who finished', description: 'Set when a person finished the work.' },
    },
  },
  // The whole loop, waits for people included; each step has its own activity timeout.
  execution: { kind: 'agent', timeoutMs: 600_000 },
  tier: { cost: 'high', latency: 'slow' },
  // Its tools may change things, but each such call asks a person (policy ask) or runs as its own node's side effect.
  sideEffects: true,
  editor: { color: '#9333ea', icon: 'bot', summaryField: 'goal' },
  examples: [
    {
      title: 'Answer from memory',
      config: {
        goal: 'Answer {{data.name}}: {{data.question}}',
        tools: [{ ref: 'node:retrieve', config: { scope: 'client', k: 5 } }],
        budget: { maxSteps: 4 },
      },
      input: { data: { name: 'Ada', question: 'When is our next invoice due?' } },
    },
  ],
} as const satisfies NodeDeclaration;

export type AgentConfig = FromSchema<typeof agentDeclaration.config, { keepDefaultedPropertiesOptional: true }>;
export type AgentInput = FromSchema<typeof agentDeclaration.input>;
export type AgentOutput = FromSchema<typeof agentDeclaration.output>;
export type AgentBudgetConfig = NonNullable<AgentConfig['budget']>;
export type ToolPolicy = (typeof toolPolicies)[number];
export type AgentCall = AgentOutput['calls'][number];
