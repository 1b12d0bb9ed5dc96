import type { MigrationBuilder } from 'node-pg-migrate';

// The control plane (control/): routing rules and what they decided, triage choices and the rules
// they suggest, the agent registry with its spend meter, foreground/background policies, canary
// reports, corrections already written to memory, and the policy advisor's proposals.
// No foreign keys to events: retention may delete events, and a routing decision outlives them.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- Versioned rule sets: a draft becomes active only by promoting a canary report.
    create table control_rule_sets (
      version integer primary key,
      status text not null check (status in ('draft', 'active', 'retired')),
      rules jsonb not null,
      default_route jsonb not null,
      note text not null default '',
      created_by text not null,
      created_at timestamptz not null default now(),
      activated_at timestamptz,
      activated_by_report text
    );
    create unique index control_rule_sets_one_active on control_rule_sets (status) where status = 'active';

    -- One row per routed event: the event id is the key, so an event never routes twice.
    create table control_routings (
      event_id text primary key,
      outcome text not null check (outcome in ('run', 'triage', 'dismissed')),
      rule_set_version integer,
      rule_id text,
      intent text,
      confidence double precision,
      client_id text,
      project_id text,
      source_kind text,
      workflow_id text,
      version integer,
      run_id text,
      triage_task_id text,
      decision jsonb not null,
      created_at timestamptz not null default now(),
      resolved_at timestamptz
    );
    create index control_routings_created on control_routings (created_at desc);
    create index control_routings_client on control_routings (client_id, created_at desc);

    -- The operator's answer to each triage task; repeated answers become suggested rules.
    create table control_triage_choices (
      task_id text primary key,
      event_id text not null,
      intent text,
      confidence double precision,
      client_id text,
      source_kind text,
      workflow_id text,
      version integer,
      reviewer text not null,
      chosen_at timestamptz not null default now()
    );
    create index control_triage_choices_pair on control_triage_choices (intent, client_id, chosen_at desc);

    create table control_rule_suggestions (
      id text primary key,
      intent text not null,
      client_id text,
      workflow_id text not null,
      version integer not null,
      min_confidence double precision not null,
      evidence jsonb not null,
      status text not null default 'open' check (status in ('open', 'accepted', 'dismissed')),
      rule_set_version integer,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by text
    );
    create unique index control_rule_suggestions_open
      on control_rule_suggestions (intent, coalesce(client_id, ''), workflow_id) where status = 'open';

    -- Agents: node types bound to a model tier, with a role, capabilities and budgets.
    create table control_agents (
      id text primary key,
      node_type text not null,
      node_version integer not null,
      tier text not null check (tier in ('none', 'cached', 'local', 'provider', 'human')),
      role text not null,
      capabilities jsonb not null,
      budget jsonb not null,
      enabled boolean not null default true,
      origin text not null default 'seed',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index control_agents_type on control_agents (node_type, node_version desc);

    -- The spend meter: one row per model call, written where the money is spent. Each row names
    -- its run, node and attempt, so it can be reconciled with the run's ledger (control/agents/spend.ts).
    create table control_spend (
      id bigserial primary key,
      agent_id text not null,
      node_type text not null,
      workflow_id text,
      node_id text,
      attempt integer,
      tier text not null,
      model text not null,
      tokens integer not null default 0,
      cost_usd double precision not null default 0,
      at timestamptz not null default now()
    );
    create index control_spend_agent on control_spend (agent_id, at);
    create index control_spend_run on control_spend (workflow_id, node_id);

    create view control_agent_spend as
      select agent_id,
             date_trunc('month', at at time zone 'UTC') as month,
             count(*)::int as calls,
             coalesce(sum(tokens), 0)::bigint as tokens,
             coalesce(sum(cost_usd), 0)::float8 as cost_usd
      from control_spend
      group by agent_id, date_trunc('month', at at time zone 'UTC');

    -- Foreground or background, per Trellis workflow.
    create table control_run_policies (
      workflow_id text primary key,
      policy jsonb not null,
      updated_by text not null,
      updated_at timestamptz not null default now()
    );

    create table control_canary_reports (
      id text primary key,
      kind text not null check (kind in ('workflow', 'routing')),
      workflow_id text,
      candidate jsonb not null,
      slice jsonb not null,
      status text not null check (status in ('running', 'completed', 'failed', 'promoted')),
      summary jsonb,
      nodes jsonb,
      runs jsonb,
      error text,
      created_by text not null,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      promoted_at timestamptz,
      promoted_by text,
      promotion jsonb
    );
    create index control_canary_reports_created on control_canary_reports (created_at desc);

    -- Review tasks whose correction is already in memory (memory holds the correction itself).
    create table control_corrections (
      task_id text primary key,
      memory_id text not null,
      kind text not null,
      decision text not null,
      client_id text,
      intent_before text,
      intent_after text,
      created_at timestamptz not null default now()
    );

    create table control_proposals (
      id text primary key,
      kind text not null check (kind in ('raise-min-confidence', 'allow-automation', 'enable-cache')),
      workflow_id text not null,
      node_id text not null,
      summary text not null,
      candidate jsonb not null,
      evidence jsonb not null,
      status text not null default 'open' check (status in ('open', 'canaried', 'promoted', 'dismissed')),
      report_id text,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    );
    create unique index control_proposals_open on control_proposals (workflow_id, node_id, kind)
      where status in ('open', 'canaried');
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop view control_agent_spend;
    drop table control_proposals, control_corrections, control_canary_reports, control_run_policies,
      control_spend, control_agents, control_rule_suggestions, control_triage_choices, control_routings,
      control_rule_sets;
  `);
}
