// The router's rules: the live set, every saved version, a draft being edited, and the canary that
// must run before a draft can go live.
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { CanaryReport, RuleSetBody, StoredRuleSet } from '../../api/types.ts';
import { navigate, paths, useLocation } from '../../app/router.ts';
import { formatDate } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { LoadState } from '../../ui/page.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { toast } from '../../ui/toasts.tsx';
import { CanaryDialog } from '../canary/canary-dialog.tsx';
import { operatorName } from '../control-format.ts';
import { useDirectory, type Directory } from '../directory.ts';
import { DraftEditor } from './draft-editor.tsx';
import { RuleTable } from './rule-table.tsx';

function defaultText(ruleSet: RuleSetBody, dir: Directory): string {
  return 'triage' in ruleSet.default ? 'default: triage' : `default: ${dir.workflowName(ruleSet.default.workflowId)}`;
}

function RuleSetItem({
  ruleSet,
  dir,
  highlighted,
  onEdit,
  onCanary,
}: {
  ruleSet: StoredRuleSet;
  dir: Directory;
  highlighted: boolean;
  onEdit: () => void;
  onCanary: () => void;
}) {
  return (
    <details className="ledger-entry rule-set" open={highlighted} data-version={ruleSet.version}>
      <summary>
        <span className="ledger-node">rules v{ruleSet.version}</span>
        <StatusBadge status={ruleSet.status} />
        <span className="small">
          {ruleSet.rules.length} rule{ruleSet.rules.length === 1 ? '' : 's'}, {defaultText(ruleSet, dir)}
        </span>
        <span className="ledger-meta small">
          by {ruleSet.createdBy}, {formatDate(ruleSet.createdAt)}
        </span>
      </summary>
      <div className="ledger-body">
        {ruleSet.note ? <p className="small">{ruleSet.note}</p> : null}
        <RuleTable ruleSet={ruleSet} dir={dir} label={`Rules of v${ruleSet.version}`} />
        {ruleSet.activatedByReport ? (
          <p className="small muted">
            Went live {formatDate(ruleSet.activatedAt)} by promoting{' '}
            <Link href={paths.canary(ruleSet.activatedByReport)}>its canary report</Link>.
          </p>
        ) : null}
        <div className="card-actions">
          {ruleSet.status === 'draft' ? (
            <button type="button" className="btn btn-primary" onClick={onCanary}>
              Run canary…
            </button>
          ) : null}
          <button type="button" className="btn" onClick={onEdit}>
            Edit as a new draft
          </button>
        </div>
      </div>
    </details>
  );
}

export function RoutingSection() {
  const { search } = useLocation();
  const dir = useDirectory();
  const live = useApi<{ ruleSet: StoredRuleSet }>('/routing/rules');
  const sets = useApi<{ ruleSets: StoredRuleSet[] }>('/routing/rule-sets?limit=50');
  const [editing, setEditing] = useState<(RuleSetBody & { version?: number }) | undefined>();
  const [canaryOf, setCanaryOf] = useState<number | undefined>();
  const highlighted = Number(search.get('draft')) || undefined;

  const active = live.data?.ruleSet;
  // The notice invites a canary only while the highlighted version is still a draft.
  const highlightedDraft = sets.data?.ruleSets.some((set) => set.version === highlighted && set.status === 'draft');
  const startEditing = (from: StoredRuleSet) => {
    setEditing({ rules: from.rules, default: from.default, ...(from.version ? { version: from.version } : {}) });
    requestAnimationFrame(() => document.getElementById('draft-title')?.scrollIntoView({ block: 'start' }));
  };
  const saved = (ruleSet: StoredRuleSet) => {
    setEditing(undefined);
    toast.success(`Saved draft rules v${ruleSet.version}. Run its canary to see what it would change.`);
    navigate(paths.control('routing', `?draft=${ruleSet.version}`), { replace: true });
    sets.reload();
  };

  return (
    <>
      <section className="panel" aria-labelledby="live-rules-title">
        <div className="panel-heading">
          <div>
            <h3 id="live-rules-title">Live rules{active ? ` (v${active.version})` : ''}</h3>
            <p className="muted small">
              {active && active.version > 0
                ? `Live since ${formatDate(active.activatedAt)}. Each arriving event is classified (intent and confidence) and the first rule that fits it decides; an event no rule fits goes to the workflows wired to its source, or else to the default.`
                : 'No rule set has been promoted yet: every event the source wiring does not take goes to triage.'}
            </p>
          </div>
          {active && !editing ? (
            <button type="button" className="btn" onClick={() => startEditing(active)}>
              New draft from the live rules
            </button>
          ) : null}
        </div>
        <LoadState loading={live.loading && !live.data} error={live.error ?? dir.error} />
        {active ? <RuleTable ruleSet={active} dir={dir} label="Live rules" /> : null}
      </section>

      {highlightedDraft && !editing ? (
        <p className="notice" role="status">
          Draft rules v{highlighted} is saved. It goes live only by promoting a canary report of it:{' '}
          <button type="button" className="link-button" onClick={() => setCanaryOf(highlighted)}>
            run its canary
          </button>
          .
        </p>
      ) : null}

      {editing ? (
        <DraftEditor
          key={editing.version ?? 0}
          base={editing}
          dir={dir}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      ) : null}

      <section className="panel" aria-labelledby="rule-sets-title">
        <h3 id="rule-sets-title">Rule sets</h3>
        <p className="muted small">
          Every saved version, newest first. A draft goes live only from its canary report’s page.
        </p>
        <LoadState loading={sets.loading && !sets.data} error={sets.error} />
        {sets.data && sets.data.ruleSets.length === 0 ? <p className="muted">Nothing saved yet.</p> : null}
        {(sets.data?.ruleSets ?? []).map((ruleSet) => (
          <RuleSetItem
            key={ruleSet.version}
            ruleSet={ruleSet}
            dir={dir}
            highlighted={ruleSet.version === highlighted}
            onEdit={() => startEditing(ruleSet)}
            onCanary={() => setCanaryOf(ruleSet.version)}
          />
        ))}
      </section>

      <CanaryDialog
        title={`Run a canary of rules v${canaryOf ?? ''}`}
        open={canaryOf !== undefined}
        onClose={() => setCanaryOf(undefined)}
        clients={dir.clients}
        explain={
          <p>
            Past routed events in the slice are routed again by this draft (with the intent and confidence they had) and
            compared with where they went and what a person chose in triage. Nothing starts and nobody is asked.
          </p>
        }
        run={(slice) =>
          api.post<CanaryReport>('/canaries', {
            candidate: { kind: 'rule-set', ruleSetVersion: canaryOf },
            slice,
            createdBy: operatorName(),
          })
        }
      />
    </>
  );
}
