// Edits a rule set as a new draft: rules in order (each a form from the rule schema), moved,
// added or removed, and the default. Saving stores the next version as a draft; it goes live only
// by promoting a canary report of it.
import { useMemo, useState } from 'react';
import { api, ApiError, describeError } from '../../api/client.ts';
import type { RoutingRule, RuleSetBody, StoredRuleSet } from '../../api/types.ts';
import { useFormValidator } from '../../ui/form-validators.ts';
import { SchemaForm, type FieldProblem, type FormValue } from '../../ui/schema-form.tsx';
import { operatorName } from '../control-format.ts';
import type { Directory } from '../directory.ts';
import { DefaultRouteFields } from './default-route-fields.tsx';
import { ruleForm } from './rule-form-schema.ts';

interface RuleDraft {
  /** Stable across moves, so each form keeps its own state and focus. */
  key: number;
  value: FormValue;
}

let nextKey = 1;
const keyed = (value: FormValue): RuleDraft => ({ key: nextKey++, value });

/** rjsf leaves emptied fields as undefined or ''; the rule schema has no use for either. */
function cleanRule(value: FormValue): RoutingRule {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== '' && v !== null),
  ) as unknown as RoutingRule;
}

/** Server refusals by rule (`/rules/2/version` → rule 2, `/version`), default, and the rest. */
function splitProblems(errors: unknown[]): {
  byRule: Map<number, FieldProblem[]>;
  fallback: string[];
  other: string[];
} {
  const byRule = new Map<number, FieldProblem[]>();
  const fallback: string[] = [];
  const other: string[] = [];
  for (const error of errors as { pointer?: string; message?: string }[]) {
    const message = error.message ?? 'invalid';
    const match = /^\/rules\/(\d+)(\/.*)?$/.exec(error.pointer ?? '');
    if (match) {
      const index = Number(match[1]);
      byRule.set(index, [...(byRule.get(index) ?? []), { pointer: match[2] ?? '', message }]);
    } else if (error.pointer?.startsWith('/default')) fallback.push(message);
    else other.push(error.pointer ? `${error.pointer}: ${message}` : message);
  }
  return { byRule, fallback, other };
}

export function DraftEditor({
  base,
  dir,
  onSaved,
  onCancel,
}: {
  /** The rule set the draft starts from (the live one, or any earlier version). */
  base: RuleSetBody & { version?: number };
  dir: Directory;
  onSaved: (ruleSet: StoredRuleSet) => void;
  onCancel: () => void;
}) {
  const [rules, setRules] = useState<RuleDraft[]>(() => base.rules.map((rule) => keyed({ ...rule })));
  const [fallback, setFallback] = useState<RuleSetBody['default']>(base.default);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ReturnType<typeof splitProblems>>({
    byRule: new Map(),
    fallback: [],
    other: [],
  });

  const inUse = rules.map((rule) => rule.value.workflowId).filter((id): id is string => typeof id === 'string');
  const clientsInUse = rules.map((rule) => rule.value.clientId).filter((id): id is string => typeof id === 'string');
  const inUseKey = [...new Set(inUse)].sort().join('|') + '#' + [...new Set(clientsInUse)].sort().join('|');
  // One schema object per set of workflows: Ajv caches what it compiled by schema object.
  const form = useMemo(
    () => ruleForm(dir.published, inUse, dir.clients, clientsInUse),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- inUseKey stands for inUse and clientsInUse
    [dir.published, dir.clients, inUseKey],
  );
  const { validator } = useFormValidator(form.schema);
  const invalid = validator
    ? rules.filter((rule) => validator.validateFormData(rule.value, form.schema).errors.length > 0)
    : [];

  const update = (key: number, next: FormValue) =>
    setRules((current) =>
      current.map((rule) => {
        if (rule.key !== key) return rule;
        // Picking a workflow pins its latest version, which the operator may change.
        const picked = next.workflowId !== rule.value.workflowId && typeof next.workflowId === 'string';
        const latest = dir.published.find((w) => w.id === next.workflowId)?.latestVersion?.version;
        return { key, value: picked && latest ? { ...next, version: latest } : next };
      }),
    );
  const move = (index: number, by: -1 | 1) =>
    setRules((current) => {
      const next = [...current];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + by, 0, moved);
      return next;
    });
  const remove = (key: number) => setRules((current) => current.filter((rule) => rule.key !== key));
  const add = () => setRules((current) => [...current, keyed({ minConfidence: 0.6 })]);

  const save = async () => {
    setBusy(true);
    setProblems({ byRule: new Map(), fallback: [], other: [] });
    const body: RuleSetBody & { createdBy: string } = {
      rules: rules.map((rule) => cleanRule(rule.value)),
      default: fallback,
      ...(note.trim() ? { note: note.trim() } : {}),
      createdBy: operatorName(),
    };
    try {
      const { ruleSet } = await api.post<{ ruleSet: StoredRuleSet }>('/routing/rule-sets', body);
      onSaved(ruleSet);
    } catch (reason) {
      if (reason instanceof ApiError && reason.errors.length > 0) {
        const split = splitProblems(reason.errors);
        setProblems(
          split.other.length > 0 || split.byRule.size > 0 || split.fallback.length > 0
            ? split
            : { ...split, other: [reason.message] },
        );
      } else setProblems({ byRule: new Map(), fallback: [], other: [describeError(reason)] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel draft-editor" aria-labelledby="draft-title">
      <div className="panel-heading">
        <div>
          <h3 id="draft-title">New draft</h3>
          <p className="muted small">
            {base.version ? `Starting from rules v${base.version}. ` : ''}Rules are tried from the top; the first whose
            intent, source, client and project fit the event decides. Below its minimum confidence the event goes to a
            person instead.
          </p>
        </div>
      </div>
      <ol className="rule-list" aria-label="Rules in order">
        {rules.map((rule, index) => {
          const title = `Rule ${index + 1}${typeof rule.value.id === 'string' && rule.value.id ? `: ${rule.value.id}` : ''}`;
          const heading = `rule-${rule.key}-title`;
          return (
            <li key={rule.key} className="rule-card" aria-labelledby={heading}>
              <div className="rule-card-head">
                <h4 id={heading}>{title}</h4>
                <div className="rule-card-actions">
                  <button
                    type="button"
                    className="btn btn-quiet"
                    aria-label={`Move rule ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    className="btn btn-quiet"
                    aria-label={`Move rule ${index + 1} down`}
                    disabled={index === rules.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓ Down
                  </button>
                  <button
                    type="button"
                    className="btn btn-quiet"
                    aria-label={`Remove rule ${index + 1}`}
                    onClick={() => remove(rule.key)}
                  >
                    Remove
                  </button>
                </div>
              </div>
              <SchemaForm
                id={`rule-${rule.key}`}
                schema={form.schema}
                uiSchema={form.ui}
                value={rule.value}
                onChange={(next) => update(rule.key, next)}
                problems={problems.byRule.get(index) ?? []}
              />
            </li>
          );
        })}
      </ol>
      {rules.length === 0 ? <p className="muted">No rules: every event takes the default below.</p> : null}
      <button type="button" className="btn" onClick={add} disabled={dir.published.length === 0}>
        + Add a rule
      </button>
      {dir.published.length === 0 ? (
        <p className="muted small">Publish a workflow first: a rule runs a published version.</p>
      ) : null}
      <DefaultRouteFields value={fallback} onChange={setFallback} dir={dir} problems={problems.fallback} />
      <label className="field">
        <span className="field-label">Note (why this change)</span>
        <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      {problems.other.length > 0 ? (
        <p role="alert" className="error-text">
          {problems.other.join('; ')}
        </p>
      ) : null}
      <div className="dialog-actions">
        {invalid.length > 0 ? (
          <span className="muted small">
            {invalid.length} rule{invalid.length === 1 ? '' : 's'} still need{invalid.length === 1 ? 's' : ''} fields
          </span>
        ) : null}
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Discard
        </button>
        <button
          type="button"
          className="btn btn-primary"
          // Saving waits for the rules' validator (a moment after opening).
          disabled={busy || !validator || invalid.length > 0}
          onClick={() => void save()}
        >
          Save draft
        </button>
      </div>
    </section>
  );
}
