// A tiny external MCP server for the client tests, built with the SDK's McpServer. Run it as
//   node tests/support/mcp-fixture-server.ts stdio <sha256 of the expected FIXTURE_TOKEN>
//   node tests/support/mcp-fixture-server.ts http <sha256 of the expected bearer token>
// (http prints `listening <port>` on stdout, bound to 127.0.0.1:0). It only knows the secret's
// hash, so the secret itself appears in no command line. Tools: echo, add (structured output),
// hang (never answers), crash (exits with code 3 mid-call), fail (an isError result).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export const fixtureServerPath = new URL(import.meta.url).pathname;
export const CRASH_EXIT_CODE = 3;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function fixtureServer(): McpServer {
  const server = new McpServer({ name: 'trellis-fixture', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Answers its arguments as JSON text.',
      inputSchema: { message: z.string().min(1), repeat: z.number().int().min(1).max(5).optional() },
    },
    (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
  );
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers; the sum comes back as structured content.',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
    },
    ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool('hang', { description: 'Never answers.' }, () => new Promise<never>(() => {}));
  server.registerTool('crash', { description: 'Exits the process mid-call.' }, () => {
    process.stderr.write('fixture: crashing on purpose\n');
    process.exit(CRASH_EXIT_CODE);
  });
  server.registerTool('fail', { description: 'Answers an error result.' }, () => ({
    isError: true,
    content: [{ type: 'text', text: 'the fixture refuses: quota exhausted' }],
  }));
  return server;
}

async function serveStdio(expectedHash: string): Promise<void> {
  // The secret must arrive in the environment: without it the server will not start.
  if (sha256(process.env.FIXTURE_TOKEN ?? '') !== expectedHash) {
    process.stderr.write('fixture: FIXTURE_TOKEN is missing or wrong\n');
    process.exit(2);
  }
  await fixtureServer().connect(new StdioServerTransport());
}

function serveHttp(expectedHash: string): void {
  const http = createServer((request, response) => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (sha256(bearer) !== expectedHash) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad token"}');
      return;
    }
    // Stateless: a server and a transport per request, as the SDK's examples do.
    const server = fixtureServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(request, response))
      .catch((error: unknown) => {
        process.stderr.write(`fixture: ${String(error)}\n`);
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
  http.listen(0, '127.0.0.1', () => {
    const address = http.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

if (process.argv[1] === fixtureServerPath) {
  const [mode, expectedHash = ''] = process.argv.slice(2);
  if (mode === 'stdio') await serveStdio(expectedHash);
  else if (mode === 'http') serveHttp(expectedHash);
  else {
    process.stderr.write('usage: mcp-fixture-server.ts stdio|http <sha256>\n');
    process.exit(64);
  }
}
