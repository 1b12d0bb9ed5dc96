// Streamable HTTP for MCP clients at /mcp: stateless (every POST carries one JSON-RPC message and
// gets its answer as JSON), authenticated with a bearer token (never the editor's cookie), and
// refused to web pages of other origins (DNS rebinding). Tools run with the caller's token.
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { forbidden } from '../lib/http-errors.ts';
import { fromThisOrigin } from '../lib/session-cookie.ts';
import { injectCaller } from '../mcp/inject-caller.ts';
import { createMcpServer } from '../mcp/server.ts';
import { requireToken } from '../plugins/app/auth.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const mcpRoutes: FastifyPluginCallback = (app, _options, done) => {
  app.addHook('onRequest', requireToken);
  app.addHook('onRequest', (request, _reply, next) => {
    if (request.principal?.via !== 'bearer')
      return next(forbidden('MCP needs a bearer token', '/headers/authorization'));
    if (request.headers.origin !== undefined && !fromThisOrigin(request, { strict: true }))
      return next(forbidden('a web page of another origin cannot call MCP', '/headers/origin'));
    next();
  });

  // Each tool call is scoped by the API route it calls; reaching the endpoint needs only `read` (server/lib/scopes.ts).
  const description =
    'Model Context Protocol over Streamable HTTP, stateless: one JSON-RPC message per POST, answered as JSON. ' +
    'Tools are scoped by the /api route each calls (docs/mcp.md).';
  app.post('/', { schema: { tags: ['mcp'], description } }, async (request, reply) => {
    const server = createMcpServer(injectCaller(app, request.headers.authorization!), pkg.version);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      // The reply is hijacked, so Fastify's error handler cannot answer: say it here, without the stack.
      request.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null }));
      }
    }
  });

  // Stateless: no server-sent event stream to open and no session to end.
  const notAllowed = { schema: { hide: true } };
  const refuse = async (_request: unknown, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless (POST only)' },
        id: null,
      });
  app.get('/', notAllowed, refuse);
  app.delete('/', notAllowed, refuse);
  done();
};
