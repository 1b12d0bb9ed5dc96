import type { MigrationBuilder } from 'node-pg-migrate';

// Trained extraction models retrained from the operator's corrections (extraction/learn/fine-tune.ts):
// the weights, how they were trained, and where they are on the way to live. A model is
// `proposed` when trained, `canary` once its canary report against past runs exists, `live` only
// by promoting that report (one live model per kind; the one it replaces is `retired`), and
// `rejected` when the operator turns it down. Without a live row, the shipped weights are used.
// Canary reports gain the kind `extraction`.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table extraction_models (
      id text primary key,
      kind text not null check (kind in ('intent')),
      base_version text not null,
      status text not null check (status in ('proposed', 'canary', 'live', 'retired', 'rejected')),
      model jsonb not null,
      training jsonb not null,
      report_id text,
      created_by text not null,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by text
    );
    create unique index extraction_models_one_live on extraction_models (kind) where status = 'live';
    create index extraction_models_created on extraction_models (created_at desc);

    alter table control_canary_reports drop constraint control_canary_reports_kind_check;
    alter table control_canary_reports add constraint control_canary_reports_kind_check
      check (kind in ('workflow', 'routing', 'extraction'));
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    delete from control_canary_reports where kind = 'extraction';
    alter table control_canary_reports drop constraint control_canary_reports_kind_check;
    alter table control_canary_reports add constraint control_canary_reports_kind_check
      check (kind in ('workflow', 'routing'));
    drop table extraction_models;
  `);
}
