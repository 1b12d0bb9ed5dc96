import type { MigrationBuilder } from 'node-pg-migrate';

// Who let each outbox message go: a reviewer's name, or 'auto' for a send under the node's
// autoSend policy, so the policy's daily cap counts only what went out without a person.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table mail_outbox add column approved_by text;
    create index mail_outbox_auto on mail_outbox (account_id, created_at) where approved_by = 'auto';
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop index mail_outbox_auto; alter table mail_outbox drop column approved_by;');
}
