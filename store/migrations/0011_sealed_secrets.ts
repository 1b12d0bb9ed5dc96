import type { MigrationBuilder } from 'node-pg-migrate';

// Webhook signing secrets sealed at rest (security/envelope.ts), and the previous secret kept
// for a rotation's overlap window. The keys live outside the database, so SQL cannot seal the
// rows written before this migration: the server seals them when it starts
// (store/webhook-source-secrets.ts, sealPlaintextSecrets) and then validates the constraint,
// which already refuses any new plaintext value.
const SEALED = String.raw`'^v1\.[^.]+\.[^.]+\.[^.]+\.[^.]+$'`;

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table webhook_sources
      add column previous_secret text,
      add column previous_secret_until timestamptz,
      add constraint webhook_sources_previous_secret_sealed check (previous_secret ~ ${SEALED}),
      add constraint webhook_sources_previous_secret_window
        check ((previous_secret is null) = (previous_secret_until is null));
    alter table webhook_sources add constraint webhook_sources_secret_sealed check (secret ~ ${SEALED}) not valid;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table webhook_sources
      drop constraint webhook_sources_secret_sealed,
      drop column previous_secret_until,
      drop column previous_secret;
  `);
}
