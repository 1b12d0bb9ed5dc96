import type { FromSchema } from 'json-schema-to-ts';
import { embed } from '../../schemas/common.ts';
import { modelPolicySchema } from '../../schemas/model-policy.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { draftPort, eventPort, extractionPort, retrievalPort } from '../sdk/ports.ts';

export const draftKinds = [
  'reply',
  'proposal',
  'status-update',
  'reminder',
  'social-post',
  'estimate',
  'invoice-note',
  'free',
] as const;

/**
 * Writes a draft from a prompt template and what was retrieved. Tiers: a cached reply of the
 * same prompt and model, then the LLM provider (or a local model server). With no model, or a
 * reply below the policy's minConfidence, it asks a human to write the draft instead.
 */
export const generateDeclaration = {
  type: 'generate',
  version: 1,
  title: 'Generate draft',
  description:
    'Drafts a reply, proposal, status update or note from a prompt template and retrieved context. Without a model it asks you to write it, with the context assembled.',
  category: 'ai',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'template', 'policy'],
    properties: {
      kind: { enum: draftKinds, title: 'Kind of draft', default: 'reply' },
      template: {
        type: 'string',
        minLength: 1,
        maxLength: 20_000,
        title: 'Prompt template',
        description:
          'Mustache, rendered with the inputs: {{event.actor.name}}, {{event.payload.text}}, {{extraction.intent.label}}, {{data.field}}, {{contextText}}. Retrieved records are appended unless the template uses {{contextText}}.',
        default:
          'Write a reply to {{event.actor.name}}.\n\nSubject: {{event.payload.subject}}\n\n{{event.payload.text}}',
      },
      instructions: {
        type: 'string',
        maxLength: 5_000,
        title: 'Instructions',
        description: 'Tone, length, what to include. Given to the model, and to you when you write it yourself.',
      },
      policy: { ...embed(modelPolicySchema), title: 'Model policy' },
      maxContextChars: {
        type: 'integer',
        minimum: 200,
        maximum: 200_000,
        default: 12_000,
        title: 'Most characters of retrieved context',
      },
      contextTokens: {
        type: 'integer',
        minimum: 50,
        maximum: 50_000,
        title: 'Token budget for retrieved context',
        description:
          'Records are ranked by relevance and recency; amounts, dates, commitments and the latest approved version of a record are always kept verbatim, the rest is included whole, summarised or left out to fit. Default: maxContextChars / 4.',
      },
      format: { enum: ['plain', 'markdown'], default: 'plain', title: 'Format' },
    },
  },
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      event: eventPort,
      context: retrievalPort,
      extraction: extractionPort,
      data: { type: 'object', title: 'Data', additionalProperties: true },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['draft'],
    properties: { draft: draftPort },
  },
  // The router keeps within policy.maxLatencyMs and retries the provider itself; this bounds the whole activity.
  execution: { kind: 'activity', timeoutMs: 180_000, retry: { maximumAttempts: 3, initialIntervalMs: 1_000 } },
  tier: { cost: 'high', latency: 'slow' },
  sideEffects: false,
  editor: { color: '#7c3aed', icon: 'pen-line', summaryField: 'kind' },
  examples: [
    {
      title: 'Reply to a new lead',
      config: {
        kind: 'reply',
        template: 'Reply to {{data.name}} who asked: {{data.question}}',
        instructions: 'Friendly, under 120 words, propose a call.',
        policy: { maxCostUsd: 0.02, maxLatencyMs: 20_000, minConfidence: 0.7 },
      },
      input: { data: { name: 'Ada', question: 'Can you redesign our website by June?' } },
    },
  ],
} as const satisfies NodeDeclaration;

// Ajv does not fill in defaults at the activity boundary, so defaulted fields may be absent.
export type GenerateConfig = FromSchema<typeof generateDeclaration.config, { keepDefaultedPropertiesOptional: true }>;
export type GenerateInput = FromSchema<typeof generateDeclaration.input>;
export type GenerateOutput = FromSchema<typeof generateDeclaration.output>;
export type DraftKind = (typeof draftKinds)[number];
