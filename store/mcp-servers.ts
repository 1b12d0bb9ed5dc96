import { randomUUID } from 'node:crypto';
import type { McpServer, McpServerInput, McpServerPatch, McpTransportKind } from '../schemas/mcp-server.ts';
import { EnvelopeError, openText, seal } from '../security/envelope.ts';
import type { Keyring } from '../security/keyring.ts';
import type { Db, Queryable } from './db.ts';

// External MCP servers (migration 0019). The env map (stdio) or headers map (http) is sealed with
// the keyring as one JSON object bound to the row's id, and opened only by
// `getMcpServerConnection` for the process that connects (the API's tool listing, the mcp-tool
// activity): values never leave this module in an answer, a history or a log.

/** What a connection needs, values in clear; the shape of mcp/connection.ts's McpConnection. */
export type McpServerConnection =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { transport: 'http'; url: string; headers: Record<string, string> };

interface ServerRow {
  id: string;
  name: string;
  transport: McpTransportKind;
  command: string | null;
  args: string[];
  url: string | null;
  secret_names: string[];
  secrets: string | null;
  created_at: Date;
  updated_at: Date;
}

const contextOf = (id: string) => `mcp_servers:${id}:secrets`;

function sealMap(keyring: Keyring, id: string, map: Record<string, string>): string | null {
  return Object.keys(map).length === 0 ? null : seal(keyring, JSON.stringify(map), contextOf(id));
}

function openMap(keyring: Keyring, row: ServerRow): Record<string, string> {
  if (!row.secrets) return {};
  try {
    return JSON.parse(openText(keyring, row.secrets, contextOf(row.id))) as Record<string, string>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EnvelopeError(`the secrets of MCP server "${row.name}" do not open with this keyring: ${reason}`);
  }
}

function toServer(row: ServerRow): McpServer {
  const names = [...row.secret_names].sort();
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    ...(row.transport === 'stdio'
      ? { command: row.command ?? '', args: row.args, envNames: names }
      : { url: row.url ?? '', headerNames: names }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | undefined)?.code === '23505';

/** Registers a server; undefined when the name is taken. */
export async function createMcpServer(
  db: Queryable,
  keyring: Keyring,
  input: McpServerInput,
): Promise<McpServer | undefined> {
  const id = randomUUID();
  const map = (input.transport === 'stdio' ? input.env : input.headers) ?? {};
  const { rows } = await db.query<ServerRow>(
    `insert into mcp_servers (id, name, transport, command, args, url, secret_names, secrets)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (name) do nothing returning *`,
    [
      id,
      input.name,
      input.transport,
      input.transport === 'stdio' ? (input.command ?? null) : null,
      JSON.stringify(input.transport === 'stdio' ? (input.args ?? []) : []),
      input.transport === 'http' ? (input.url ?? null) : null,
      JSON.stringify(Object.keys(map)),
      sealMap(keyring, id, map),
    ],
  );
  return rows[0] && toServer(rows[0]);
}

export async function listMcpServers(db: Queryable): Promise<McpServer[]> {
  const { rows } = await db.query<ServerRow>('select * from mcp_servers order by name');
  return rows.map(toServer);
}

export async function getMcpServer(db: Queryable, id: string): Promise<McpServer | undefined> {
  const { rows } = await db.query<ServerRow>('select * from mcp_servers where id = $1', [id]);
  return rows[0] && toServer(rows[0]);
}

/** The server with its secrets opened, for the one process that connects to it now. */
export async function getMcpServerConnection(
  db: Queryable,
  keyring: Keyring,
  id: string,
): Promise<{ server: McpServer; connection: McpServerConnection } | undefined> {
  const { rows } = await db.query<ServerRow>('select * from mcp_servers where id = $1', [id]);
  const row = rows[0];
  if (!row) return undefined;
  const map = openMap(keyring, row);
  const connection: McpServerConnection =
    row.transport === 'stdio'
      ? { transport: 'stdio', command: row.command ?? '', args: row.args, env: map }
      : { transport: 'http', url: row.url ?? '', headers: map };
  return { server: toServer(row), connection };
}

/** Applies a patch in one transaction: undefined when there is no such server, 'name-taken' on a clash. */
export async function updateMcpServer(
  db: Db,
  keyring: Keyring,
  id: string,
  patch: McpServerPatch,
): Promise<McpServer | 'name-taken' | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<ServerRow>('select * from mcp_servers where id = $1 for update', [id]);
      const row = rows[0];
      if (!row) return undefined;
      const changes = row.transport === 'stdio' ? patch.env : patch.headers;
      let { secrets, secret_names: names } = row;
      if (changes) {
        const map = openMap(keyring, row);
        for (const [name, value] of Object.entries(changes)) {
          if (value === null) delete map[name];
          else map[name] = value;
        }
        names = Object.keys(map);
        secrets = sealMap(keyring, id, map);
      }
      const updated = await tx.query<ServerRow>(
        `update mcp_servers set name = $2, command = $3, args = $4, url = $5, secret_names = $6, secrets = $7,
           updated_at = now()
         where id = $1 returning *`,
        [
          id,
          patch.name ?? row.name,
          patch.command ?? row.command,
          JSON.stringify(patch.args ?? row.args),
          patch.url ?? row.url,
          JSON.stringify(names),
          secrets,
        ],
      );
      return toServer(updated.rows[0]!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'name-taken';
    throw error;
  }
}

export async function deleteMcpServer(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from mcp_servers where id = $1', [id]);
  return (rowCount ?? 0) > 0;
}
