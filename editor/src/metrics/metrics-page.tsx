// How well the automation does, week by week and per workflow: how often people had to correct it,
// how long that took, and what each action cost.
import { useMemo, useState } from 'react';
import { displayText } from '../ui/display-text.ts';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { MetricsWeek, WorkflowSummary } from '../api/types.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { formatCost, formatDuration, formatPercent } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';

/** Calm, distinguishable line colours (colour-blind safe order). */
const COLOURS = ['#2f6f5e', '#b7791f', '#3b6ea5', '#9c4f7a', '#5f6b2e', '#7a5c3e'];

type Measure = 'falsePositiveRate' | 'meanTimeToCorrectionMs' | 'costPerAction';

const charts: { measure: Measure; title: string; explain: string; format: (v: number) => string }[] = [
  {
    measure: 'falsePositiveRate',
    title: 'False-positive rate',
    explain: 'Share of automated actions a person edited or rejected.',
    format: (v) => formatPercent(v),
  },
  {
    measure: 'meanTimeToCorrectionMs',
    title: 'Mean time to manual correction',
    explain: 'From the task being asked to the person’s edit or rejection.',
    format: (v) => formatDuration(v),
  },
  {
    measure: 'costPerAction',
    title: 'Cost per action',
    explain: 'Model spend divided by the actions taken.',
    format: (v) => formatCost(v),
  },
];

function MetricChart({
  rows,
  series,
  measure,
  title,
  explain,
  format,
}: {
  rows: Record<string, number | string | null>[];
  series: { id: string; name: string }[];
  measure: Measure;
  title: string;
  explain: string;
  format: (v: number) => string;
}) {
  return (
    <section className="panel chart-panel" aria-labelledby={`chart-${measure}`}>
      <h3 id={`chart-${measure}`}>{title}</h3>
      <p className="muted small">{explain}</p>
      <div className="chart" role="img" aria-label={`${title} per week, one line per workflow`}>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="#e6e8eb" vertical={false} />
            <XAxis dataKey="week" tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => format(v)} width={72} />
            <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s, index) => (
              <Line
                key={s.id}
                type="monotone"
                dataKey={(row: Record<string, unknown>) => (row[s.id] as MetricsWeek | undefined)?.[measure] ?? null}
                name={s.name}
                stroke={COLOURS[index % COLOURS.length]}
                strokeWidth={2}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export function MetricsPage() {
  const [workflowId, setWorkflowId] = useState('');
  const workflows = useApi<{ workflows: WorkflowSummary[] }>('/workflows');
  const { data, error, loading } = useApi<{
    weeks: MetricsWeek[];
    truncated?: boolean;
    runsRead?: number;
    unreadable?: { count: number; runs: { runId: string; error: string }[] };
  }>(`/metrics${query({ workflowId })}`);

  const { rows, series, totals } = useMemo(() => {
    const weeks = data?.weeks ?? [];
    const names = new Map((workflows.data?.workflows ?? []).map((w) => [w.id, w.name]));
    const ids = [...new Set(weeks.map((w) => w.workflowId))];
    // One row per week; each workflow's figures under its id.
    const byWeek = new Map<string, Record<string, unknown>>();
    for (const week of weeks) {
      const row = byWeek.get(week.week) ?? { week: week.week };
      row[week.workflowId] = week;
      byWeek.set(week.week, row);
    }
    const sum = (pick: (w: MetricsWeek) => number) => weeks.reduce((total, w) => total + pick(w), 0);
    return {
      rows: [...byWeek.values()].sort((a, b) => String(a.week).localeCompare(String(b.week))) as Record<
        string,
        number | string | null
      >[],
      series: ids.map((id) => ({ id, name: names.get(id) ?? id })),
      totals: { actions: sum((w) => w.actions), reviews: sum((w) => w.reviews), cost: sum((w) => w.costUsd) },
    };
  }, [data, workflows.data]);

  return (
    <Page
      title="Metrics"
      actions={
        <label className="field inline">
          <span className="field-label">Workflow</span>
          <select aria-label="Workflow" value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
            <option value="">All workflows</option>
            {(workflows.data?.workflows ?? []).map((w) => (
              <option key={w.id} value={w.id}>
                {displayText(w.name)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <LoadState loading={loading && !data} error={error} />
      {data && rows.length === 0 ? (
        <EmptyState title="No figures yet">
          <p>Metrics appear after the first week with runs: each automated action, each review, and what it cost.</p>
        </EmptyState>
      ) : null}
      {data?.truncated ? (
        <p className="notice small">
          Read from the newest {data.runsRead ?? 'many'} runs only; older weeks may be incomplete.
        </p>
      ) : null}
      {data?.unreadable && data.unreadable.count > 0 ? (
        <div className="notice small" role="status" aria-label="Unreadable runs">
          <p>
            {data.unreadable.count} run{data.unreadable.count === 1 ? '' : 's'} could not be read: their actions and
            cost are not in these figures.
          </p>
          <ul>
            {data.unreadable.runs.map((run) => (
              <li key={run.runId}>
                <Link href={`/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</Link>: {run.error}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {rows.length > 0 ? (
        <>
          <dl className="facts">
            <div>
              <dt>Actions</dt>
              <dd>{totals.actions}</dd>
            </div>
            <div>
              <dt>Reviewed by a person</dt>
              <dd>{totals.reviews}</dd>
            </div>
            <div>
              <dt>Spent</dt>
              <dd>{formatCost(totals.cost)}</dd>
            </div>
          </dl>
          <div className="chart-grid">
            {charts.map((chart) => (
              <MetricChart key={chart.measure} rows={rows} series={series} {...chart} />
            ))}
          </div>
        </>
      ) : null}
    </Page>
  );
}
