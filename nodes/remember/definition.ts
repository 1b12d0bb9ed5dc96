import type { FromSchema } from 'json-schema-to-ts';
import { memoryKinds } from '../../schemas/memory-record.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort } from '../sdk/ports.ts';

export const rememberDeclaration = {
  type: 'remember',
  version: 1,
  title: 'Remember',
  description:
    'Writes text to memory with its provenance (run, node, source@version, confidence, reviewer). ' +
    'A new version of a source supersedes the old records. Human edits are stored as corrections.',
  category: 'memory',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: { enum: memoryKinds, title: 'Kind of record', default: 'fact' },
      split: {
        enum: ['none', 'paragraphs'],
        title: 'Split into',
        default: 'none',
        description: 'paragraphs: one record per paragraph group of at most `maxChars` characters.',
      },
      maxChars: { type: 'integer', minimum: 200, maximum: 20_000, title: 'Characters per record', default: 1500 },
      supersede: {
        type: 'boolean',
        title: 'New version supersedes the old',
        default: true,
        description: 'Records of the same source with another version get a validTo and leave current search.',
      },
      sourceUri: {
        type: 'string',
        maxLength: 2000,
        title: 'Source URI',
        description: 'Default: the event’s source, else this run.',
      },
      confidence: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        title: 'Confidence',
        description: 'Default: the event’s, 1 for a human’s.',
      },
    },
  },
  input: {
    type: 'object',
    required: ['content'],
    properties: {
      content: { title: 'Content', description: 'Text, a draft, or anything with a `text` field.' },
      event: eventPort,
      reviewer: { type: 'string', title: 'Reviewer', description: 'Who approved or wrote it (from a human review).' },
      decision: {
        type: 'string',
        title: 'Review decision',
        description: '"edited" stores the content as a correction.',
      },
    },
  },
  output: {
    type: 'object',
    required: ['ids', 'sourceUri', 'version'],
    properties: {
      ids: { type: 'array', items: { type: 'string' } },
      sourceUri: { type: 'string' },
      version: { type: 'string' },
      superseded: { type: 'integer', minimum: 0 },
    },
  },
  execution: { kind: 'activity', timeoutMs: 60_000, retry: { maximumAttempts: 5 } },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#3b6ea5', icon: 'database', summaryField: 'kind' },
  examples: [{ title: 'A note', config: { kind: 'note' }, input: { content: 'Client prefers calls on Tuesdays.' } }],
} as const satisfies NodeDeclaration;

export type RememberConfig = FromSchema<typeof rememberDeclaration.config>;
export type RememberInput = FromSchema<typeof rememberDeclaration.input>;
export type RememberOutput = FromSchema<typeof rememberDeclaration.output>;
