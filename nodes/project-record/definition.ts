import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort } from '../sdk/ports.ts';

/** A record on a project as this node wrote it (store/clients.ts ProjectRecord, body included). */
export const projectRecordPort = {
  title: 'Project record',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'projectId', 'kind', 'title', 'version', 'body', 'createdAt'],
  properties: {
    id: { type: 'string' },
    projectId: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    sourceUri: { type: 'string' },
    body: { title: 'Body', description: '`{ content, reviewedBy?, decision?, settles?, eventId? }`' },
    supersedes: { type: 'string', description: 'Id of the version this one replaced.' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/**
 * Finalises an outcome on the project record in the source of truth: an approved reply, a task
 * list, a status update, an invoice, a new version of the scope. Append adds a record; supersede
 * writes version n+1 of the project's record of this kind and source and points the old one to it.
 */
export const projectRecordDeclaration = {
  type: 'project-record',
  version: 1,
  title: 'Project record',
  description:
    'Writes the outcome to the project record (the source of truth): append a record, or supersede the current ' +
    'version of this kind with a new one. A rejected or expired review writes nothing.',
  category: 'output',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: {
        type: 'string',
        pattern: '^[a-z][a-z0-9-]{0,62}$',
        title: 'Kind of record',
        description: 'reply, tasks, status-update, proposal, invoice, scope…',
      },
      mode: {
        enum: ['append', 'supersede'],
        title: 'Write as',
        default: 'append',
        description: 'supersede: a new version of the current record of this kind (and source) on the project.',
      },
      title: { type: 'string', minLength: 1, maxLength: 200, title: 'Title', description: 'Default: the subject.' },
      projectId: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        title: 'Project',
        description: 'Default: the `projectId` input, else the event’s project.',
      },
      sourceUri: {
        type: 'string',
        minLength: 1,
        maxLength: 2000,
        title: 'Source URI',
        description:
          'Versions are kept per source. Default for supersede: trellis://projects/<project>/<kind>; for append: the event’s source.',
      },
    },
  },
  input: {
    type: 'object',
    required: ['content'],
    properties: {
      content: { title: 'Content', description: 'The approved value: a draft, a task list, an invoice…' },
      projectId: { type: 'string', title: 'Project id' },
      event: eventPort,
      reviewer: { type: 'string', title: 'Reviewer' },
      decision: {
        type: 'string',
        title: 'Review decision',
        description: 'rejected or expired: nothing is written.',
      },
      settles: {
        type: 'array',
        items: { type: 'string' },
        title: 'Settles records',
        description: 'Ids of records this one settles, e.g. the time entries an invoice bills.',
      },
    },
  },
  output: {
    type: 'object',
    required: ['written'],
    properties: {
      written: { type: 'boolean', title: 'Written' },
      record: projectRecordPort,
      reason: { type: 'string', title: 'Why nothing was written' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 30_000,
    retry: { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#15803d', icon: 'notebook-pen', summaryField: 'kind' },
  examples: [
    {
      title: 'Tasks on a project',
      config: { kind: 'tasks', projectId: 'project-1' },
      input: { content: { tasks: [{ text: 'Send the sitemap', owner: 'Ana', due: '2026-03-06' }] } },
    },
  ],
} as const satisfies NodeDeclaration;

export type ProjectRecordConfig = FromSchema<typeof projectRecordDeclaration.config>;
export type ProjectRecordInput = FromSchema<typeof projectRecordDeclaration.input>;
export type ProjectRecordOutput = FromSchema<typeof projectRecordDeclaration.output>;
