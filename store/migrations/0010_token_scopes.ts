import type { MigrationBuilder } from 'node-pg-migrate';

// Token scopes and browser sessions:
// - every token carries its scopes (read ⊂ act ⊂ admin, docs/API.md); tokens made before scopes
//   existed could do everything, so they become admin and nothing that used them breaks. New
//   tokens name their scopes (no default);
// - a browser session is an opaque id in an httpOnly cookie, stored here by its sha256 with the
//   token it was opened with and that token's scopes; revoking the token ends its sessions. The
//   token id is not a foreign key: TRELLIS_API_TOKEN (id `env`) is not stored.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table api_tokens add column scopes text[] not null default '{admin}';
    alter table api_tokens alter column scopes drop default;
    alter table api_tokens add constraint api_tokens_scopes_known
      check (cardinality(scopes) > 0 and scopes <@ array['read', 'act', 'admin']);

    create table api_sessions (
      id_hash text primary key,
      token_id text not null,
      scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['read', 'act', 'admin']),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index api_sessions_token on api_sessions (token_id);
    create index api_sessions_expiry on api_sessions (expires_at);
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop table api_sessions;
    alter table api_tokens drop constraint api_tokens_scopes_known;
    alter table api_tokens drop column scopes;
  `);
}
