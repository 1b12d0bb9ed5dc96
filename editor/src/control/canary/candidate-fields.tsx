// What a new canary tries: a published workflow version, a change to one node's config on top of
// a published version (sent as a JSON merge patch), or a draft rule set.
import { mergePatchBetween } from '../../../../lib/merge-patch.ts';
import { useApi } from '../../api/use-api.ts';
import { displayText } from '../../ui/display-text.ts';
import type { CanaryReport, StoredRuleSet, Workflow, WorkflowGraph } from '../../api/types.ts';
import type { Directory } from '../directory.ts';

type Candidate = CanaryReport['candidate'];

export interface CandidateDraft {
  kind: Candidate['kind'];
  workflowId: string;
  /** The version to try (kind version) or to build on (kind node-config). */
  version: number | undefined;
  nodeId: string;
  /** The node's config as it is in that version, and as edited. */
  original: Record<string, unknown> | undefined;
  configText: string;
  note: string;
  ruleSetVersion: number | undefined;
}

export const emptyCandidate: CandidateDraft = {
  kind: 'node-config',
  workflowId: '',
  version: undefined,
  nodeId: '',
  original: undefined,
  configText: '',
  note: '',
  ruleSetVersion: undefined,
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseConfig(text: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : 'The config must be a JSON object.';
  } catch (error) {
    return `Not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Why the draft cannot run yet, or undefined. */
export function candidateProblem(draft: CandidateDraft): string | undefined {
  if (draft.kind === 'rule-set') return draft.ruleSetVersion ? undefined : 'Pick a draft rule set.';
  if (!draft.workflowId) return 'Pick a workflow.';
  if (!draft.version) return 'Pick a version.';
  if (draft.kind === 'version') return undefined;
  if (!draft.nodeId || !draft.original) return 'Pick a node.';
  const edited = parseConfig(draft.configText);
  if (typeof edited === 'string') return edited;
  if (Object.keys(mergePatchBetween(draft.original, edited)).length === 0) return 'Change the node’s config first.';
  return undefined;
}

export function toCandidate(draft: CandidateDraft): Candidate | undefined {
  if (candidateProblem(draft)) return undefined;
  if (draft.kind === 'rule-set') return { kind: 'rule-set', ruleSetVersion: draft.ruleSetVersion ?? 0 };
  const version = draft.version ?? 0;
  if (draft.kind === 'version') return { kind: 'version', workflowId: draft.workflowId, version };
  const edited = parseConfig(draft.configText) as Record<string, unknown>;
  return {
    kind: 'node-config',
    workflowId: draft.workflowId,
    baseVersion: version,
    nodeId: draft.nodeId,
    config: mergePatchBetween(draft.original ?? {}, edited),
    ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
  };
}

const kinds: { kind: Candidate['kind']; label: string }[] = [
  { kind: 'node-config', label: 'A change to one node’s config (a model policy, a threshold)' },
  { kind: 'version', label: 'A published workflow version' },
  { kind: 'rule-set', label: 'A draft rule set of the router' },
];

export function CandidateFields({
  value,
  onChange,
  dir,
}: {
  value: CandidateDraft;
  onChange: (value: CandidateDraft) => void;
  dir: Directory;
}) {
  const workflow = useApi<{ workflow: Workflow }>(
    value.kind !== 'rule-set' && value.workflowId ? `/workflows/${encodeURIComponent(value.workflowId)}` : undefined,
  );
  const graph = useApi<{ graph: WorkflowGraph }>(
    value.kind === 'node-config' && value.workflowId && value.version
      ? `/workflows/${encodeURIComponent(value.workflowId)}/versions/${value.version}`
      : undefined,
  );
  const ruleSets = useApi<{ ruleSets: StoredRuleSet[] }>(value.kind === 'rule-set' ? '/routing/rule-sets' : undefined);
  const versions = workflow.data?.workflow.id === value.workflowId ? workflow.data.workflow.versions : [];
  const nodes = (graph.data?.graph.nodes ?? []).filter((node) => node.type !== 'trigger');
  const drafts = (ruleSets.data?.ruleSets ?? []).filter((set) => set.status === 'draft');
  const patch = (() => {
    if (value.kind !== 'node-config' || !value.original) return undefined;
    const edited = parseConfig(value.configText);
    return typeof edited === 'string' ? undefined : mergePatchBetween(value.original, edited);
  })();

  return (
    <fieldset className="plain-fieldset candidate-fields">
      <legend>What to try</legend>
      <div className="radio-list">
        {kinds.map((option) => (
          <label key={option.kind} className="checkbox-field">
            <input
              type="radio"
              name="candidate-kind"
              checked={value.kind === option.kind}
              onChange={() => onChange({ ...emptyCandidate, kind: option.kind })}
            />
            {option.label}
          </label>
        ))}
      </div>

      {value.kind === 'rule-set' ? (
        <label className="field">
          <span className="field-label">Draft rule set</span>
          <select
            value={value.ruleSetVersion ?? ''}
            onChange={(e) => onChange({ ...value, ruleSetVersion: Number(e.target.value) || undefined })}
          >
            <option value="">{drafts.length === 0 ? 'No drafts: save one under Routing rules' : 'Choose…'}</option>
            {drafts.map((set) => (
              <option key={set.version} value={set.version}>
                rules v{set.version} ({set.rules.length} rules{set.note ? `: ${set.note}` : ''})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <div className="field-row">
          <label className="field">
            <span className="field-label">Workflow</span>
            <select
              value={value.workflowId}
              onChange={(e) => {
                const chosen = dir.published.find((w) => w.id === e.target.value);
                onChange({
                  ...emptyCandidate,
                  kind: value.kind,
                  workflowId: e.target.value,
                  version: chosen?.latestVersion?.version,
                });
              }}
            >
              <option value="">Choose…</option>
              {dir.published.map((w) => (
                <option key={w.id} value={w.id}>
                  {displayText(w.name)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{value.kind === 'version' ? 'Version to try' : 'Built on version'}</span>
            <select
              value={value.version ?? ''}
              disabled={!value.workflowId}
              onChange={(e) =>
                onChange({ ...value, version: Number(e.target.value) || undefined, nodeId: '', original: undefined })
              }
            >
              {versions.length === 0 && value.version ? <option value={value.version}>v{value.version}</option> : null}
              {[...versions]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version} ({new Date(v.publishedAt).toLocaleDateString()})
                  </option>
                ))}
            </select>
          </label>
          {value.kind === 'node-config' ? (
            <label className="field">
              <span className="field-label">Node</span>
              <select
                value={value.nodeId}
                disabled={nodes.length === 0}
                onChange={(e) => {
                  const node = nodes.find((n) => n.id === e.target.value);
                  const config = isObject(node?.config) ? node.config : {};
                  onChange({
                    ...value,
                    nodeId: e.target.value,
                    original: node ? config : undefined,
                    configText: node ? JSON.stringify(config, null, 2) : '',
                  });
                }}
              >
                <option value="">Choose…</option>
                {nodes.map((node) => (
                  <option key={node.id} value={node.id}>
                    {node.id} ({node.type})
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
      )}

      {value.kind === 'node-config' && value.original ? (
        <>
          <label className="field">
            <span className="field-label">Config of {value.nodeId} (edit it; only the change is sent)</span>
            <textarea
              className="code"
              rows={5}
              spellCheck={false}
              value={value.configText}
              onChange={(e) => onChange({ ...value, configText: e.target.value })}
            />
          </label>
          {patch && Object.keys(patch).length > 0 ? (
            <p className="small">
              Change: <code className="wrap">{JSON.stringify(patch)}</code>
            </p>
          ) : null}
          <label className="field">
            <span className="field-label">Note (why this change, optional)</span>
            <input value={value.note} maxLength={2000} onChange={(e) => onChange({ ...value, note: e.target.value })} />
          </label>
        </>
      ) : null}
    </fieldset>
  );
}
