import type { MigrationBuilder } from 'node-pg-migrate';

// The intake stores a message's event first and routes it after (mail/intake/dispatch-pump.ts):
// a delivered message is owed its routing until `dispatched_at` is set. Storing is what a
// back-fill waits on; routing (classifying, triage tasks, run starts) follows behind it. A crash
// between the two leaves `dispatched_at` null, which the listener next holding the folder's lease
// finishes; routing an event twice is idempotent (server/lib/event-routing.ts). Messages marked
// before this migration were routed when they were stored.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table mail_messages add column dispatched_at timestamptz;
    alter table mail_messages add column dispatch_attempts integer not null default 0;
    alter table mail_messages add column dispatch_error text;
    update mail_messages set dispatched_at = claimed_at where status = 'delivered';
    create index mail_messages_dispatch_pending on mail_messages (account_id, folder, uid_validity, uid)
      where status = 'delivered' and dispatched_at is null;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop index mail_messages_dispatch_pending;
    alter table mail_messages drop column dispatch_error;
    alter table mail_messages drop column dispatch_attempts;
    alter table mail_messages drop column dispatched_at;
  `);
}
