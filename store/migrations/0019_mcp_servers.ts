import type { MigrationBuilder } from 'node-pg-migrate';

// External MCP servers Trellis calls tools of (issue 22, the mcp-tool node). How to reach one is
// plain (command and args for stdio, url for http); the env or headers map, which carries its
// tokens, is one sealed JSON object (security/envelope.ts) bound to the row's id, with the names
// kept beside it in clear so a listing never needs the keyring.
const SEALED = String.raw`'^v1\.[^.]+\.[^.]+\.[^.]+\.[^.]+$'`;

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table mcp_servers (
      id text primary key,
      name text not null unique,
      transport text not null check (transport in ('stdio', 'http')),
      command text,
      args jsonb not null default '[]',
      url text,
      secret_names jsonb not null default '[]',
      secrets text check (secrets ~ ${SEALED}),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((transport = 'stdio') = (command is not null)),
      check ((transport = 'http') = (url is not null))
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table mcp_servers;');
}
