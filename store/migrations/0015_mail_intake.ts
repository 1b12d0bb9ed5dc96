import type { MigrationBuilder } from 'node-pg-migrate';

// A back-fill the operator asked for (POST /api/mail/intake/:id/backfill): the number of days to
// re-read, kept on the folder until the listener holding its lease has finished it, so a restart
// in the middle resumes it instead of losing it.
export function up(pgm: MigrationBuilder): void {
  pgm.sql('alter table mail_folder_state add column backfill_requested_days integer;');
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('alter table mail_folder_state drop column backfill_requested_days;');
}
