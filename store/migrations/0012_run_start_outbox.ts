import type { MigrationBuilder } from 'node-pg-migrate';

// Runs an ingested event should start but could not, because Temporal was unreachable: the
// delivery is still acknowledged (202, the run pending) and the server starts them when Temporal
// is back. Keyed by the run's workflow id, which is derived from the event's idempotency key, so
// a retry can never start a second run.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table run_start_outbox (
      run_id text primary key,
      workflow_id text not null,
      version integer not null,
      event_id text not null references events (id) on delete cascade,
      idempotency_key text not null,
      task_queue text not null,
      attempts integer not null default 1,
      last_error text not null,
      created_at timestamptz not null default now(),
      tried_at timestamptz not null default now(),
      foreign key (workflow_id, version) references workflow_versions (workflow_id, version)
    );
    create index run_start_outbox_tried on run_start_outbox (task_queue, tried_at);
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table run_start_outbox');
}
