import type { MigrationBuilder } from 'node-pg-migrate';

// The sender's UTC offset, from the email's Date header (or a form's declared time): timestamptz
// keeps only the instant, and "tomorrow" in a mail written at 23:40 +13:00 must resolve in the
// sender's day, not in UTC's. Null for events stored before this column, which read as UTC.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`alter table events add column occurred_offset_minutes smallint
    check (occurred_offset_minutes between -1080 and 1080)`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('alter table events drop column occurred_offset_minutes');
}
