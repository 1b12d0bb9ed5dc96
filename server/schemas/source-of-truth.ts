import { memoryKinds } from '../../schemas/memory-record.ts';
import { projectStatuses } from '../../store/projects.ts';
import { idString } from './common.ts';

const cursor = { type: 'string', maxLength: 2000, pattern: '^[A-Za-z0-9_-]*$' } as const;
const limit = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;
const jsonObject = { type: 'object', additionalProperties: true } as const;

export const listClientsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { search: { type: 'string', maxLength: 200 }, limit, cursor },
} as const;

export const forgetClientBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 2000,
      description: 'Why the client is forgotten (kept in the erasure record).',
    },
  },
} as const;

export const createClientBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 300 },
    emails: { type: 'array', maxItems: 100, items: { type: 'string', format: 'email', maxLength: 300 } },
    domains: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'string',
        maxLength: 253,
        pattern: '^@?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\\.?$',
      },
    },
    billing: jsonObject,
    metadata: jsonObject,
  },
} as const;

export const listProjectsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { clientId: idString, status: { enum: projectStatuses }, limit, cursor },
} as const;

export const createProjectBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 300 },
    clientId: idString,
    status: { enum: projectStatuses },
    threadIds: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 500 } },
    metadata: jsonObject,
  },
} as const;

export const listEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    projectId: idString,
    clientId: idString,
    type: { type: 'string', maxLength: 100 },
    status: { enum: ['accepted', 'rejected'] },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    limit,
    cursor,
  },
} as const;

export const listInvoicesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['issued', 'paid', 'void'] },
    clientId: idString,
    projectId: idString,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const memorySearchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 2000 },
    projectId: idString,
    clientId: idString,
    kinds: { type: 'array', maxItems: 20, items: { enum: memoryKinds } },
    k: { type: 'integer', minimum: 1, maximum: 100 },
    alpha: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;
