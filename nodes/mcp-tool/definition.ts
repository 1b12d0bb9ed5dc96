import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

/** The largest per-call budget a workflow may set; the activity's own timeout leaves room for closing. */
export const MAX_TOOL_TIMEOUT_MS = 300_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

export const mcpToolDeclaration = {
  type: 'mcp-tool',
  version: 1,
  title: 'MCP tool',
  description:
    'Calls one tool of an external MCP server registered under /api/mcp-servers, with the input’s arguments ' +
    '(checked against the tool’s input schema first). The server’s tokens are read from the store when the ' +
    'call runs, never carried by the workflow. A hung or crashed server is retried a few times; an error ' +
    'answered by the tool is final.',
  category: 'output',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['serverId', 'tool'],
    properties: {
      serverId: { type: 'string', minLength: 1, maxLength: 100, title: 'MCP server' },
      tool: { type: 'string', minLength: 1, maxLength: 200, title: 'Tool' },
      timeoutMs: {
        type: 'integer',
        minimum: 100,
        maximum: MAX_TOOL_TIMEOUT_MS,
        default: DEFAULT_TOOL_TIMEOUT_MS,
        title: 'Timeout (ms)',
        description: 'For one attempt: starting or reaching the server, and the call.',
      },
    },
  },
  input: {
    type: 'object',
    properties: {
      arguments: {
        type: 'object',
        title: 'Arguments',
        description: 'The tool’s arguments (checked against its input schema); none when not wired.',
      },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['content', 'text'],
    properties: {
      content: {
        type: 'array',
        items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
        title: 'Content',
        description: 'The tool’s content parts as the MCP SDK gives them (text, image, resource…).',
      },
      structuredContent: { type: 'object', title: 'Structured result' },
      text: { type: 'string', title: 'Text', description: 'The text parts joined by newlines.' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: MAX_TOOL_TIMEOUT_MS + 30_000,
    // A hung or crashed server may recover: a few attempts, backing off; then the run fails.
    retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  // An external tool may change anything; canary runs skip it (and an agent will ask before using it).
  sideEffects: true,
  editor: { color: '#0f766e', icon: 'plug', summaryField: 'tool' },
  examples: [
    {
      title: 'Search an issue tracker',
      config: { serverId: '1c0e3a5e-0000-4000-8000-000000000000', tool: 'search_issues', timeoutMs: 20_000 },
      input: { arguments: { query: 'invoice export' } },
    },
  ],
} as const satisfies NodeDeclaration;

export type McpToolConfig = FromSchema<typeof mcpToolDeclaration.config>;
export type McpToolInput = FromSchema<typeof mcpToolDeclaration.input>;
export type McpToolOutput = FromSchema<typeof mcpToolDeclaration.output>;
