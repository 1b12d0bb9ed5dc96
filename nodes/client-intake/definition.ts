import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort, extractionPort } from '../sdk/ports.ts';

const projectStatuses = ['lead', 'active', 'paused', 'done', 'archived'] as const;

/**
 * Turns a lead into source-of-truth rows: the client (reused when the sender's address already
 * belongs to one) and a project for the enquiry, with its mail thread so replies link to it.
 */
export const clientIntakeDeclaration = {
  type: 'client-intake',
  version: 1,
  title: 'Client intake',
  description:
    'Creates the client (or finds the existing one by email) and a project for a lead, from the event and what ' +
    'extract found (company, name, email, budget, deadline, needs). A rejected or expired review creates nothing.',
  category: 'output',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      projectStatus: {
        enum: projectStatuses,
        title: 'New project status',
        default: 'lead',
        description: 'lead until the proposal is accepted; active to start work at once.',
      },
      projectName: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        title: 'Project name',
        description: 'Default: the subject of the enquiry, else "Enquiry from <client>".',
      },
    },
  },
  input: {
    type: 'object',
    required: ['event'],
    properties: {
      event: eventPort,
      extraction: extractionPort,
      decision: { type: 'string', title: 'Review decision', description: 'rejected or expired: nothing is created.' },
      reviewer: { type: 'string', title: 'Reviewer' },
    },
  },
  output: {
    type: 'object',
    required: ['created'],
    properties: {
      created: { type: 'boolean', title: 'Created', description: 'False when the review declined the lead.' },
      clientId: { type: 'string', title: 'Client id' },
      projectId: { type: 'string', title: 'Project id' },
      client: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'emails', 'existing'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          emails: { type: 'array', items: { type: 'string' } },
          existing: { type: 'boolean', description: 'The address already belonged to this client.' },
        },
      },
      project: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'status'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          status: { enum: projectStatuses },
          clientId: { type: 'string' },
        },
      },
      reason: { type: 'string' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 30_000,
    retry: { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#15803d', icon: 'user-plus', summaryField: 'projectStatus' },
  examples: [
    {
      title: 'A form lead',
      config: { projectStatus: 'lead' },
      input: {
        event: {
          id: 'evt-example-form',
          type: 'form.submitted',
          status: 'accepted',
          actor: { kind: 'person', name: 'Luis Ortega', address: 'luis@ortegabakery.com' },
          source: { kind: 'form', uri: 'form://site/123', version: 'a1b2c3' },
          occurredAt: '2026-03-02T10:00:00Z',
          receivedAt: '2026-03-02T10:00:01Z',
          confidence: 1,
          payload: { subject: 'Website for our bakery', text: 'name: Luis Ortega\nbudget: 2500' },
          metadata: {},
        },
      },
    },
  ],
} as const satisfies NodeDeclaration;

export type ClientIntakeConfig = FromSchema<
  typeof clientIntakeDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type ClientIntakeInput = FromSchema<typeof clientIntakeDeclaration.input>;
export type ClientIntakeOutput = FromSchema<typeof clientIntakeDeclaration.output>;
