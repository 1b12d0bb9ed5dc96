// A rule set as it reads: rules in the order they are tried, then what happens when none matches.
import type { RuleSetBody } from '../../api/types.ts';
import { formatConfidence } from '../control-format.ts';
import type { Directory } from '../directory.ts';

export function RuleTable({ ruleSet, dir, label }: { ruleSet: RuleSetBody; dir: Directory; label: string }) {
  const fallback = ruleSet.default;
  return (
    <table className="table compact rule-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">Rule</th>
          <th scope="col">Intent</th>
          <th scope="col">Source</th>
          <th scope="col">Client / project</th>
          <th scope="col" className="num">
            Min confidence
          </th>
          <th scope="col">Runs</th>
          <th scope="col">Input mapping</th>
        </tr>
      </thead>
      <tbody>
        {ruleSet.rules.map((rule, index) => (
          <tr key={rule.id} data-rule-id={rule.id}>
            <td className="num">{index + 1}</td>
            <td>
              <code>{rule.id}</code>
              {rule.description ? <div className="muted small">{rule.description}</div> : null}
            </td>
            <td>{rule.intent ?? <span className="muted">any</span>}</td>
            <td>{rule.sourceKind ?? <span className="muted">any</span>}</td>
            <td>
              {rule.clientId ? dir.clientName(rule.clientId) : <span className="muted">any client</span>}
              {rule.projectId ? <div className="small">project {rule.projectId}</div> : null}
            </td>
            <td className="num">{formatConfidence(rule.minConfidence)}</td>
            <td>
              {dir.workflowName(rule.workflowId)} <span className="muted small">v{rule.version}</span>
            </td>
            <td>
              {rule.inputMapping ? (
                <code className="wrap">{rule.inputMapping}</code>
              ) : (
                <span className="muted">the event</span>
              )}
            </td>
          </tr>
        ))}
        <tr className="rule-default">
          <td className="num">—</td>
          <td colSpan={5}>
            <em>No rule matches</em>
          </td>
          <td colSpan={2}>
            {'triage' in fallback ? (
              'a person picks (triage)'
            ) : (
              <>
                {dir.workflowName(fallback.workflowId)} <span className="muted small">v{fallback.version}</span>
              </>
            )}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
