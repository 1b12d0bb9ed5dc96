import type { MigrationBuilder } from 'node-pg-migrate';

// The source of truth: who the clients are, what each project has decided, every event
// that came in (append-only), workflows and their published versions, review tasks with
// their state machine, invoices with gap-free numbers, the model cache, tokens, webhooks.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table clients (
      id text primary key default gen_random_uuid()::text,
      name text not null,
      emails text[] not null default '{}',
      domains text[] not null default '{}',
      billing jsonb not null default '{}',
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index clients_emails on clients using gin (emails);
    create index clients_domains on clients using gin (domains);

    create table projects (
      id text primary key default gen_random_uuid()::text,
      client_id text references clients (id),
      name text not null,
      status text not null default 'active' check (status in ('lead', 'active', 'paused', 'done', 'archived')),
      thread_ids text[] not null default '{}',
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index projects_client on projects (client_id);
    create index projects_threads on projects using gin (thread_ids);

    -- Outcomes are finalised here: approved replies, tasks, status updates, scope versions.
    create table project_records (
      id text primary key default gen_random_uuid()::text,
      project_id text not null references projects (id),
      kind text not null,
      title text not null,
      body jsonb not null,
      source_uri text,
      version integer not null default 1,
      superseded_by text references project_records (id),
      run_id text,
      node_id text,
      idempotency_key text unique,
      created_at timestamptz not null default now()
    );
    create index project_records_project on project_records (project_id, kind, created_at desc);

    create table events (
      id text primary key,
      type text not null,
      status text not null check (status in ('accepted', 'rejected')),
      source_kind text not null,
      source_name text,
      source_uri text not null,
      source_version text not null,
      actor jsonb not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null,
      confidence double precision not null,
      project_id text references projects (id),
      client_id text references clients (id),
      thread_id text,
      idempotency_key text unique,
      payload jsonb not null,
      metadata jsonb not null default '{}',
      rejection jsonb,
      raw bytea
    );
    create index events_received on events (received_at desc);
    create index events_project on events (project_id, received_at desc);
    create index events_client on events (client_id, received_at desc);

    -- Events are append-only: only retention may delete them, and nothing may update them.
    create function events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and coalesce(current_setting('trellis.retention', true), '') = 'on' then
        return old;
      end if;
      raise exception 'events are append-only (% refused)', tg_op using errcode = 'P0001';
    end $$;
    create trigger events_append_only before update or delete on events
      for each row execute function events_append_only();

    create table workflows (
      id text primary key default gen_random_uuid()::text,
      name text not null,
      description text not null default '',
      graph jsonb not null,
      template_id text,
      archived boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table workflow_versions (
      workflow_id text not null references workflows (id),
      version integer not null,
      plan_hash text not null,
      graph jsonb not null,
      plan jsonb not null,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (workflow_id, version),
      unique (workflow_id, plan_hash)
    );

    create table review_tasks (
      id text primary key,
      kind text not null check (kind in ('review', 'draft', 'extraction', 'triage', 'fallback')),
      state text not null default 'pending' check (state in ('pending', 'approved', 'edited', 'rejected', 'expired')),
      run_id text not null,
      workflow_id text not null,
      node_id text not null,
      title text not null,
      instructions text not null default '',
      assignee text,
      reason text,
      context jsonb not null default '{}',
      proposed jsonb,
      value_schema jsonb,
      decision text,
      value jsonb,
      reviewer text,
      escalated_to text,
      created_at timestamptz not null default now(),
      due_at timestamptz,
      decided_at timestamptz
    );
    create index review_tasks_pending on review_tasks (state, created_at);
    create index review_tasks_run on review_tasks (workflow_id, node_id);

    create table review_transitions (
      id bigserial primary key,
      task_id text not null references review_tasks (id),
      from_state text not null,
      to_state text not null,
      by text not null,
      at timestamptz not null default now(),
      note text
    );

    -- pending -> approved | edited | rejected | expired, and no other path.
    create function review_tasks_state_machine() returns trigger language plpgsql as $$
    begin
      if new.state is distinct from old.state then
        if old.state <> 'pending' or new.state not in ('approved', 'edited', 'rejected', 'expired') then
          raise exception 'review task % cannot go from % to %', old.id, old.state, new.state using errcode = 'P0002';
        end if;
      elsif old.state <> 'pending' then
        raise exception 'review task % is % and cannot change', old.id, old.state using errcode = 'P0002';
      end if;
      return new;
    end $$;
    create trigger review_tasks_state_machine before update on review_tasks
      for each row execute function review_tasks_state_machine();

    create table invoice_counters (
      series text primary key,
      last_number integer not null default 0
    );

    create table invoices (
      id text primary key default gen_random_uuid()::text,
      series text not null,
      sequence integer not null,
      number text not null unique,
      client_id text not null references clients (id),
      project_id text references projects (id),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      issue_date date not null,
      due_date date not null,
      status text not null default 'issued' check (status in ('issued', 'paid', 'void')),
      net_minor bigint not null,
      tax_minor bigint not null,
      total_minor bigint not null,
      notes text,
      pdf bytea,
      pdf_sha256 text,
      idempotency_key text not null unique,
      run_id text,
      void_reason text,
      created_at timestamptz not null default now(),
      paid_at timestamptz,
      voided_at timestamptz,
      unique (series, sequence)
    );
    create index invoices_client on invoices (client_id, issue_date desc);
    create index invoices_due on invoices (status, due_date);

    create table invoice_lines (
      invoice_id text not null references invoices (id),
      position integer not null,
      kind text not null check (kind in ('hours', 'fixed', 'expense')),
      description text not null,
      quantity numeric not null,
      unit_amount_minor bigint not null,
      net_minor bigint not null,
      tax_rate_basis_points integer not null,
      tax_minor bigint not null,
      primary key (invoice_id, position)
    );

    create table model_cache (
      key text primary key,
      node_type text not null,
      tier text not null,
      model text not null,
      output jsonb not null,
      tokens integer not null default 0,
      cost_usd double precision not null default 0,
      hits integer not null default 0,
      created_at timestamptz not null default now(),
      last_hit_at timestamptz
    );

    create table api_tokens (
      id text primary key default gen_random_uuid()::text,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table webhook_sources (
      name text primary key check (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
      secret text not null,
      kind text not null default 'webhook' check (kind in ('webhook', 'email', 'form', 'document')),
      rate_limit_per_minute integer not null default 600,
      created_at timestamptz not null default now()
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop table webhook_sources, api_tokens, model_cache, invoice_lines, invoices, invoice_counters,
      review_transitions, review_tasks, workflow_versions, workflows, events, project_records, projects, clients;
    drop function events_append_only, review_tasks_state_machine;
  `);
}
