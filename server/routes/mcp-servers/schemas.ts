// Request and reply shapes of /api/mcp-servers, built from the contract in schemas/mcp-server.ts
// (without its $id, so each route embeds the shape rather than registering a second copy).
import { mcpServerInputSchema, mcpServerPatchSchema, mcpServerSchema } from '../../../schemas/mcp-server.ts';

const { $id: _inputId, $schema: _inputDraft, ...serverInput } = mcpServerInputSchema;
const { $id: _patchId, $schema: _patchDraft, ...serverPatch } = mcpServerPatchSchema;
const { $id: _viewId, $schema: _viewDraft, ...serverView } = mcpServerSchema;

export const serverParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const createServerBody = serverInput;

export const patchServerBody = serverPatch;

export const serverReply = serverView;

export const serverListReply = {
  type: 'object',
  additionalProperties: false,
  required: ['servers'],
  properties: { servers: { type: 'array', items: serverView } },
} as const;

export const toolsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeoutMs: {
      type: 'integer',
      minimum: 100,
      maximum: 120_000,
      default: 15_000,
      description: 'How long connecting and listing may take together.',
    },
  },
} as const;

const openObject = { type: 'object', additionalProperties: true } as const;

export const toolsReply = {
  type: 'object',
  additionalProperties: false,
  required: ['server', 'tools'],
  properties: {
    server: { type: 'string', description: 'The server’s name.' },
    tools: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'inputSchema'],
        properties: {
          name: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          inputSchema: { ...openObject, description: 'JSON Schema of the arguments.' },
          outputSchema: { ...openObject, description: 'JSON Schema of the structured result, if the tool has one.' },
        },
      },
    },
  },
} as const;
