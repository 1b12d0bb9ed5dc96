import type { MigrationBuilder } from 'node-pg-migrate';

// One data key per client for the payloads Temporal stores (temporal/codec): sealed with the
// installation keyring, so a copy of the database alone opens nothing. Forgetting a client
// destroys its key (sealed_key becomes null) and keeps the row as the record of the erasure:
// when, by whom, why and what was deleted. No foreign key: the client row is deleted then.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table client_keys (
      client_id text primary key,
      sealed_key text,
      created_at timestamptz not null default now(),
      erased_at timestamptz,
      erased_by text,
      erase_reason text,
      erased_counts jsonb,
      check ((sealed_key is null) = (erased_at is not null))
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table client_keys');
}
