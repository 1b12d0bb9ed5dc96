import type { FromSchema } from 'json-schema-to-ts';
import { memoryKinds } from '../../schemas/memory-record.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort, retrievalPort } from '../sdk/ports.ts';

export const retrieveDeclaration = {
  type: 'retrieve',
  version: 1,
  title: 'Retrieve',
  description:
    'Searches memory (hybrid vector + keyword) for what is relevant to the event or query, within its project or client. ' +
    'Records the query fingerprint and the ids found, so the search can be checked later.',
  category: 'memory',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      query: {
        type: 'string',
        maxLength: 2000,
        title: 'Query',
        description: 'Fixed query text; empty: the event’s subject and text, or the `query` input.',
      },
      scope: {
        enum: ['project', 'client', 'all'],
        title: 'Search within',
        default: 'project',
        description: 'project: the event’s project (else its client); client: the event’s client; all: everything.',
      },
      kinds: { type: 'array', items: { enum: memoryKinds }, uniqueItems: true, title: 'Kinds of records' },
      k: { type: 'integer', minimum: 1, maximum: 100, title: 'How many records', default: 8 },
      alpha: { type: 'number', minimum: 0, maximum: 1, title: 'Keyword (0) … vector (1)', default: 0.5 },
      sinceDays: { type: 'integer', minimum: 1, title: 'Only the last N days' },
      onUnavailable: {
        enum: ['human', 'empty', 'fail'],
        title: 'If memory is unreachable',
        default: 'human',
        description: 'After the retries: ask a person (human), go on with nothing (empty), or fail the run.',
      },
    },
  },
  input: {
    type: 'object',
    properties: {
      event: eventPort,
      query: { type: 'string', title: 'Query' },
    },
  },
  output: {
    type: 'object',
    required: ['context'],
    properties: { context: retrievalPort },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 30_000,
    retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: false,
  editor: { color: '#3b6ea5', icon: 'search', summaryField: 'scope' },
  examples: [{ title: 'Project context', config: { scope: 'project', k: 5 }, input: { query: 'latest agreed scope' } }],
} as const satisfies NodeDeclaration;

export type RetrieveConfig = FromSchema<typeof retrieveDeclaration.config>;
export type RetrieveInput = FromSchema<typeof retrieveDeclaration.input>;
export type RetrieveOutput = FromSchema<typeof retrieveDeclaration.output>;
