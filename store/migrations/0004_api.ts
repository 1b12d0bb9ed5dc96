import type { MigrationBuilder } from 'node-pg-migrate';

// What the HTTP API needs beyond the source of truth:
// - webhook signatures already seen, so a captured request cannot be replayed within the
//   timestamp tolerance (rows older than the tolerance are pruned: the timestamp check refuses those);
// - a graph may go back to an earlier plan (undo a change), which is a new latest version,
//   so the plan hash is no longer unique per workflow;
// - lookups of installed templates and of the runs' versions by plan hash.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table webhook_signatures (
      source text not null references webhook_sources (name) on delete cascade,
      signature text not null,
      signed_at timestamptz not null,
      seen_at timestamptz not null default now(),
      primary key (source, signature)
    );
    create index webhook_signatures_signed on webhook_signatures (signed_at);

    alter table workflow_versions drop constraint workflow_versions_workflow_id_plan_hash_key;
    create index workflow_versions_hash on workflow_versions (workflow_id, plan_hash);
    create index workflows_template on workflows (template_id) where template_id is not null;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop index workflows_template;
    drop index workflow_versions_hash;
    alter table workflow_versions add constraint workflow_versions_workflow_id_plan_hash_key unique (workflow_id, plan_hash);
    drop table webhook_signatures;
  `);
}
