import type { MigrationBuilder } from 'node-pg-migrate';

// The operator's mailboxes (issue 20). Four tables, one job each:
// - mail_accounts: IMAP and SMTP settings; passwords sealed with the keyring (security/envelope.ts),
//   bound to their row and column; each direction's last known state for the UI and health.
// - mail_folder_state: per watched folder, the checkpoint (UIDVALIDITY and the last UID taken) and
//   the listener's lease, so exactly one intake process listens to a folder and a restart resumes.
// - mail_messages: the claim of each message (folder, UIDVALIDITY, UID) in PostgreSQL, so two
//   intake processes never take the same message; it points at the event the message became.
// - mail_outbox: one row per message Trellis sends, keyed by the run and node that send it, with
//   the exact bytes and Message-ID, so a retry, a restart or a second approval never sends twice.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table mail_accounts (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
      display_name text,
      address text not null,
      imap jsonb,
      imap_password text check (imap_password is null or imap_password like 'v1.%'),
      smtp jsonb,
      smtp_password text check (smtp_password is null or smtp_password like 'v1.%'),
      imap_state text not null default 'unknown',
      imap_error text,
      imap_checked_at timestamptz,
      smtp_state text not null default 'unknown',
      smtp_error text,
      smtp_checked_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table mail_folder_state (
      account_id text not null references mail_accounts (id) on delete cascade,
      folder text not null,
      uid_validity bigint,
      last_uid bigint not null default 0,
      backfill_total integer,
      backfill_done integer not null default 0,
      lease_owner text,
      lease_until timestamptz,
      last_error text,
      updated_at timestamptz not null default now(),
      primary key (account_id, folder)
    );

    create table mail_messages (
      account_id text not null references mail_accounts (id) on delete cascade,
      folder text not null,
      uid_validity bigint not null,
      uid bigint not null,
      message_id text,
      raw_sha256 text,
      size_bytes integer,
      status text not null default 'claimed',
      claimed_by text not null,
      claimed_at timestamptz not null default now(),
      event_id text references events (id) on delete set null,
      reason text,
      primary key (account_id, folder, uid_validity, uid)
    );
    create index mail_messages_event on mail_messages (event_id);

    create table mail_outbox (
      id text primary key,
      idempotency_key text not null unique,
      account_id text references mail_accounts (id) on delete set null,
      message_id text not null unique,
      workflow_id text,
      run_id text,
      node_id text,
      recipients jsonb not null,
      subject text not null,
      raw bytea not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      smtp_response text,
      last_error text,
      sent_folder text,
      filed_at timestamptz,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index mail_outbox_status on mail_outbox (status, updated_at);
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table mail_outbox; drop table mail_messages; drop table mail_folder_state; drop table mail_accounts;');
}
