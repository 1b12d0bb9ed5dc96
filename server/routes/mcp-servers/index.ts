import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { listTools, McpCallError } from '../../../mcp/index.ts';
import {
  createMcpServer,
  deleteMcpServer,
  getMcpServer,
  getMcpServerConnection,
  listMcpServers,
  updateMcpServer,
} from '../../../store/mcp-servers.ts';
import { badRequest, conflict, HttpError, notFound } from '../../lib/http-errors.ts';
import {
  createServerBody,
  patchServerBody,
  serverListReply,
  serverParams,
  serverReply,
  toolsQuery,
  toolsReply,
} from './schemas.ts';

const tags = ['mcp'];

/** A URL the schema's pattern let through that fetch could still not use (`http://`, a bad port). */
function assertUsableUrl(url: string | undefined): void {
  if (url === undefined) return;
  try {
    if (new URL(url).hostname) return;
  } catch {
    // reported below
  }
  throw badRequest(`"${url}" is not a URL a request can be sent to`, '/url');
}

/** The fields that belong to the other transport: naming one in a change is a 400 on that field. */
const foreignFields = { stdio: ['url', 'headers'], http: ['command', 'args', 'env'] } as const;

/**
 * External MCP servers whose tools the mcp-tool node calls. The env (stdio) and headers (http)
 * values are write-only: taken on create and update, sealed at rest, answered as their names,
 * and opened only to connect.
 */
export const mcpServerRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db, keyring } = app.services;

  app.get('/', { schema: { tags, response: { 200: serverListReply } } }, async () => ({
    servers: await listMcpServers(db),
  }));

  app.get('/:id', { schema: { tags, params: serverParams, response: { 200: serverReply } } }, async (request) => {
    const server = await getMcpServer(db, request.params.id);
    if (!server) throw notFound('MCP server', '/params/id');
    return server;
  });

  app.post(
    '/',
    {
      schema: {
        tags,
        body: createServerBody,
        response: { 201: serverReply },
        description:
          'Registers a server: stdio (command, args, env) or http (url, headers). The env and header values are ' +
          'sealed and never answered; a name already taken is 409.',
      },
    },
    async (request, reply) => {
      assertUsableUrl(request.body.url);
      const server = await createMcpServer(db, keyring, request.body);
      if (!server) throw conflict(`an MCP server named "${request.body.name}" exists`, '/name');
      return reply.code(201).send(server);
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        params: serverParams,
        body: patchServerBody,
        response: { 200: serverReply },
        description:
          'Changes a server (its transport stays). env and headers are merged by name: a value replaces, null ' +
          'removes, a name not given keeps its stored value.',
      },
    },
    async (request) => {
      const existing = await getMcpServer(db, request.params.id);
      if (!existing) throw notFound('MCP server', '/params/id');
      const foreign = foreignFields[existing.transport].find((field) => field in request.body);
      if (foreign) throw badRequest(`a ${existing.transport} server has no ${foreign}`, `/${foreign}`);
      assertUsableUrl(request.body.url);
      const updated = await updateMcpServer(db, keyring, request.params.id, request.body);
      if (updated === 'name-taken') throw conflict(`an MCP server named "${request.body.name}" exists`, '/name');
      if (!updated) throw notFound('MCP server', '/params/id');
      return updated;
    },
  );

  app.delete(
    '/:id',
    { schema: { tags, params: serverParams, description: 'Removes the server; workflows naming it then fail.' } },
    async (request, reply) => {
      if (!(await deleteMcpServer(db, request.params.id))) throw notFound('MCP server', '/params/id');
      return reply.code(204).send();
    },
  );

  app.get(
    '/:id/tools',
    {
      schema: {
        tags,
        params: serverParams,
        querystring: toolsQuery,
        response: { 200: toolsReply },
        description:
          'Connects to the server (starting its command, for stdio), lists its tools and closes. A server that ' +
          'does not answer in time is 504; one that fails or refuses is 502 with the reason.',
      },
    },
    async (request) => {
      const found = await getMcpServerConnection(db, keyring, request.params.id);
      if (!found) throw notFound('MCP server', '/params/id');
      try {
        const tools = await listTools(found.connection, {
          timeoutMs: request.query.timeoutMs,
          serverName: found.server.name,
        });
        return { server: found.server.name, tools };
      } catch (error) {
        if (!(error instanceof McpCallError)) throw error;
        throw new HttpError(error.kind === 'timeout' ? 504 : 502, error.message, [
          { pointer: '/params/id', message: `${error.kind}: ${error.message}` },
        ]);
      }
    },
  );

  return Promise.resolve();
};
