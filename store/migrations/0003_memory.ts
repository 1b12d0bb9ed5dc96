import type { MigrationBuilder } from 'node-pg-migrate';

// Embeddings already computed, keyed by model and the sha256 of the exact text, so re-ingesting
// or re-querying the same text never pays for the model again. Vectors are float32, little-endian.
// (The pgvector memory tables are not here: the source of truth may be a PostgreSQL without
// pgvector; that backend creates its own tables in init().)
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table embedding_cache (
      model text not null,
      content_sha256 text not null,
      dimensions integer not null check (dimensions > 0),
      vector bytea not null check (octet_length(vector) = 4 * dimensions),
      created_at timestamptz not null default now(),
      primary key (model, content_sha256)
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table embedding_cache');
}
