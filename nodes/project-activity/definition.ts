import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort } from '../sdk/ports.ts';

/**
 * What happened on a project in a period, read from the source of truth rather than from
 * memory: the events that came in and the records (decisions, replies, tasks, scope) written.
 */
export const projectActivityDeclaration = {
  type: 'project-activity',
  version: 1,
  title: 'Project activity',
  description:
    'Reads a project’s events and project records of the last N days from the source of truth: the material for a ' +
    'status update or a review of the week.',
  category: 'input',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      projectId: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        title: 'Project',
        description: 'Default: `projectId` in the run data, else the event’s project.',
      },
      days: { type: 'integer', minimum: 1, maximum: 366, default: 7, title: 'Last N days' },
      recordKinds: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
        uniqueItems: true,
        title: 'Kinds of records',
        description: 'Default: every kind.',
      },
      maxItems: { type: 'integer', minimum: 1, maximum: 500, default: 100, title: 'At most this many of each' },
      maxTextChars: { type: 'integer', minimum: 50, maximum: 20_000, default: 1_000, title: 'Characters per text' },
    },
  },
  input: {
    type: 'object',
    properties: {
      data: { type: 'object', title: 'Run data', description: '`projectId` when the config has none.' },
      event: eventPort,
    },
  },
  output: {
    type: 'object',
    required: ['activity'],
    properties: {
      activity: {
        type: 'object',
        title: 'Activity',
        additionalProperties: false,
        required: ['project', 'from', 'to', 'events', 'records'],
        properties: {
          project: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'name', 'status'],
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              status: { type: 'string' },
              clientId: { type: 'string' },
              clientName: { type: 'string' },
            },
          },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          events: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'type', 'occurredAt', 'from', 'text'],
              properties: {
                id: { type: 'string' },
                type: { type: 'string' },
                occurredAt: { type: 'string' },
                from: { type: 'string' },
                subject: { type: 'string' },
                text: { type: 'string' },
              },
            },
          },
          records: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'kind', 'title', 'version', 'createdAt', 'text'],
              properties: {
                id: { type: 'string' },
                kind: { type: 'string' },
                title: { type: 'string' },
                version: { type: 'integer' },
                createdAt: { type: 'string' },
                text: { type: 'string', description: 'The record’s content as text.' },
              },
            },
          },
        },
      },
    },
  },
  execution: { kind: 'activity', timeoutMs: 30_000, retry: { maximumAttempts: 3, initialIntervalMs: 1_000 } },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: false,
  editor: { color: '#2b6cb0', icon: 'calendar-range', summaryField: 'days' },
  examples: [{ title: 'The last week', config: { days: 7 }, input: { data: { projectId: 'p-1' } } }],
} as const satisfies NodeDeclaration;

export type ProjectActivityConfig = FromSchema<
  typeof projectActivityDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type ProjectActivityInput = FromSchema<typeof projectActivityDeclaration.input>;
export type ProjectActivityOutput = FromSchema<typeof projectActivityDeclaration.output>;
