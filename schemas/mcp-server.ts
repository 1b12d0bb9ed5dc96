import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE, timestamp } from './common.ts';

// An external MCP server Trellis calls tools of (the mcp-tool node): a command started over stdio,
// or a Streamable HTTP endpoint. The env map (stdio) and the headers map (http) usually carry
// tokens: write-only, sealed at rest, answered as their names only. Command, args and url are plain.

export const mcpServerName = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$',
  title: 'Name',
  description: 'Unique; letters, digits, space, dot, underscore, dash.',
} as const;

export const mcpTransports = ['stdio', 'http'] as const;

const command = { type: 'string', minLength: 1, maxLength: 1000, title: 'Command' } as const;
const args = {
  type: 'array',
  maxItems: 100,
  items: { type: 'string', maxLength: 4000 },
  title: 'Arguments',
} as const;
const url = { type: 'string', minLength: 1, maxLength: 2000, pattern: '^https?://', title: 'URL' } as const;
const envName = '^[A-Za-z_][A-Za-z0-9_]{0,127}$' as const;
const headerName = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$" as const;
const secretValue = { type: 'string', maxLength: 10_000 } as const;
/** A header value cannot hold a line break (it would end the header). */
const headerValue = { type: 'string', maxLength: 10_000, pattern: '^[^\\r\\n]*$' } as const;

const secretOrNull = { anyOf: [secretValue, { type: 'null' }] } as const;

export const mcpEnvInput = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: envName },
  additionalProperties: secretValue,
  title: 'Environment (secret values)',
} as const;
export const mcpHeadersInput = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: headerName },
  additionalProperties: headerValue,
  title: 'Headers (secret values)',
} as const;
/** On update a value of null removes the name; names not given keep their values. */
export const mcpEnvPatch = {
  ...mcpEnvInput,
  additionalProperties: secretOrNull,
  title: 'Environment changes',
} as const;
export const mcpHeadersPatch = {
  ...mcpHeadersInput,
  additionalProperties: { anyOf: [headerValue, { type: 'null' }] },
  title: 'Header changes',
} as const;

/** The body of POST /api/mcp-servers: the transport decides which fields it needs. */
export const mcpServerInputSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/mcp-server-input.json`,
  title: 'McpServerInput',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'transport'],
  properties: {
    name: mcpServerName,
    transport: { enum: mcpTransports, title: 'Transport' },
    command,
    args,
    env: mcpEnvInput,
    url,
    headers: mcpHeadersInput,
  },
  allOf: [
    {
      if: { properties: { transport: { const: 'stdio' } }, required: ['transport'] },
      then: { required: ['command'], properties: { url: false, headers: false } },
    },
    {
      if: { properties: { transport: { const: 'http' } }, required: ['transport'] },
      then: { required: ['url'], properties: { command: false, args: false, env: false } },
    },
  ],
} as const;

/** The body of PATCH /api/mcp-servers/:id: any field but the transport; env and headers merge by name. */
export const mcpServerPatchSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/mcp-server-patch.json`,
  title: 'McpServerPatch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: mcpServerName,
    command,
    args,
    env: mcpEnvPatch,
    url,
    headers: mcpHeadersPatch,
  },
} as const;

/** A server as the API answers it: secret values never, only their names. */
export const mcpServerSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/mcp-server.json`,
  title: 'McpServer',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'transport', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    name: mcpServerName,
    transport: { enum: mcpTransports },
    command,
    args,
    envNames: {
      type: 'array',
      items: { type: 'string' },
      description: 'The environment variables set (values hidden).',
    },
    url,
    headerNames: { type: 'array', items: { type: 'string' }, description: 'The headers sent (values hidden).' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export type McpTransportKind = (typeof mcpTransports)[number];
export type McpServerInput = FromSchema<typeof mcpServerInputSchema>;
export type McpServerPatch = FromSchema<typeof mcpServerPatchSchema>;
export type McpServer = FromSchema<typeof mcpServerSchema>;
