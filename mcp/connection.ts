// How to reach an external MCP server, with its secrets opened: what the store hands the worker
// or the API for one connection. Plain data, so mcp/ depends on nothing else in Trellis.

export interface StdioConnection {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Added to the child's small default environment (PATH, HOME…), never the worker's own. */
  env: Record<string, string>;
}

export interface HttpConnection {
  transport: 'http';
  url: string;
  headers: Record<string, string>;
}

export type McpConnection = StdioConnection | HttpConnection;

/** The secret values of a connection: kept out of every message this library writes. */
export function secretValuesOf(connection: McpConnection): string[] {
  const values = Object.values(connection.transport === 'stdio' ? connection.env : connection.headers);
  // Very short values would redact ordinary words; they are not worth hiding either.
  return values.filter((value) => value.length >= 4);
}

/** Replaces each secret value in `text` with a marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
