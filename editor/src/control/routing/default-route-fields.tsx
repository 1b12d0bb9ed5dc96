// What happens to an event no rule takes: a person picks (triage), or one workflow runs.
import type { RuleSetBody } from '../../api/types.ts';
import { displayText } from '../../ui/display-text.ts';
import type { Directory } from '../directory.ts';

type DefaultRoute = RuleSetBody['default'];

export function DefaultRouteFields({
  value,
  onChange,
  dir,
  problems,
}: {
  value: DefaultRoute;
  onChange: (value: DefaultRoute) => void;
  dir: Directory;
  problems: string[];
}) {
  const toWorkflow = 'triage' in value ? undefined : value;
  const first = dir.published[0];
  return (
    <fieldset className="default-route">
      <legend>When no rule matches</legend>
      <label className="checkbox-field">
        <input type="radio" name="default-route" checked={!toWorkflow} onChange={() => onChange({ triage: true })} />
        Ask a person (a triage task in the review queue)
      </label>
      <label className="checkbox-field">
        <input
          type="radio"
          name="default-route"
          checked={Boolean(toWorkflow)}
          disabled={!first}
          onChange={() => first && onChange({ workflowId: first.id, version: first.latestVersion?.version ?? 1 })}
        />
        Run a workflow
      </label>
      {toWorkflow ? (
        <div className="field-row">
          <label className="field">
            <span className="field-label">Default workflow</span>
            <select
              value={toWorkflow.workflowId}
              onChange={(e) => {
                const chosen = dir.published.find((w) => w.id === e.target.value);
                onChange({ ...toWorkflow, workflowId: e.target.value, version: chosen?.latestVersion?.version ?? 1 });
              }}
            >
              {dir.published.map((workflow) => (
                <option key={workflow.id} value={workflow.id}>
                  {displayText(workflow.name)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Pinned version</span>
            <input
              type="number"
              min={1}
              value={toWorkflow.version}
              onChange={(e) => onChange({ ...toWorkflow, version: Math.max(1, Number(e.target.value) || 1) })}
            />
          </label>
          <label className="field field-wide">
            <span className="field-label">Input mapping (JSONata, optional)</span>
            <textarea
              className="code"
              rows={2}
              placeholder='{ "event": $ }'
              value={toWorkflow.inputMapping ?? ''}
              onChange={(e) => {
                const { inputMapping: _old, ...rest } = toWorkflow;
                onChange(e.target.value ? { ...rest, inputMapping: e.target.value } : rest);
              }}
            />
          </label>
        </div>
      ) : null}
      {problems.length > 0 ? (
        <p role="alert" className="error-text">
          {problems.join('; ')}
        </p>
      ) : null}
    </fieldset>
  );
}
