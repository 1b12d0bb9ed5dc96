import type { MigrationBuilder } from 'node-pg-migrate';

// After-run actions of the intake (imap.afterRun flag | move): the action a delivered message is
// owed is written with its mark, and the time it was carried out once the IMAP server confirmed
// it. A crash between the two leaves `after_run` set and `after_run_at` null, which the next
// catch-up of the folder finishes (the partial index finds those rows without a scan).
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table mail_messages add column after_run text check (after_run is null or after_run in ('flag', 'move'));
    alter table mail_messages add column after_run_at timestamptz;
    create index mail_messages_after_run_pending on mail_messages (account_id, folder, uid_validity, uid)
      where after_run is not null and after_run_at is null;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop index mail_messages_after_run_pending;
    alter table mail_messages drop column after_run_at;
    alter table mail_messages drop column after_run;
  `);
}
