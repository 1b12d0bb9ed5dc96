import { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readFileSync } from 'node:fs';
import { createMcpServer } from '../../server/mcp/server.ts';
import { apiClient } from './api-client.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * `trellis mcp`: Trellis as an MCP server over stdio, for desktop assistants that start it as a
 * command. It is a client of the running server (TRELLIS_URL, the CLI's token or
 * TRELLIS_API_TOKEN), so a token with the read scope gives an assistant that can look but not act.
 * stdout carries the protocol only; anything said to a person goes to stderr.
 */
export function mcpCommand(): Command {
  return new Command('mcp')
    .description('serve the Model Context Protocol over stdio (tools and resources of the running server)')
    .action(async () => {
      const api = apiClient();
      const server = createMcpServer(api.exchange, pkg.version);
      const transport = new StdioServerTransport();
      // Ends when the client closes the connection or stdin.
      const closed = new Promise<void>((resolve) => {
        server.onclose = resolve;
        process.stdin.on('end', resolve);
      });
      await server.connect(transport);
      process.stderr.write(`trellis mcp: serving ${api.base} over stdio\n`);
      await closed;
      await server.close();
    });
}
