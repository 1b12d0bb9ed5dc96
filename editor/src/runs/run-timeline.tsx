// Node attempts on a time axis: when each started and ended, relative to the run's start.
import type { LedgerEntry } from '../api/types.ts';
import { formatDuration } from '../ui/format.ts';

export function RunTimeline({
  entries,
  runStart,
  runEnd,
  now,
  onSelect,
}: {
  entries: LedgerEntry[];
  runStart: string;
  runEnd: string | undefined;
  /** The clock, ticking while the run goes on: where unfinished bars end. */
  now: number;
  onSelect: (nodeId: string) => void;
}) {
  const start = new Date(runStart).getTime();
  const timed = entries.filter((entry) => entry.startedAt);
  const ends = timed.map((entry) => new Date(entry.endedAt ?? entry.startedAt ?? runStart).getTime());
  // The clock ticks once a second; never let it lag behind what the run already reported.
  const clock = Math.max(now, ...ends);
  const end = Math.max(runEnd ? new Date(runEnd).getTime() : clock, ...ends, start + 1);
  const span = end - start;
  if (timed.length === 0) return <p className="muted small">No node has started yet.</p>;
  return (
    <div className="timeline" role="list" aria-label="Node attempts over time">
      {timed.map((entry) => {
        const from = new Date(entry.startedAt as string).getTime() - start;
        const to = (entry.endedAt ? new Date(entry.endedAt).getTime() : clock) - start;
        const left = Math.max(0, (from / span) * 100);
        const width = Math.max(0.6, ((to - from) / span) * 100);
        return (
          <div key={entry.nodeId} className="timeline-row" role="listitem">
            <button type="button" className="timeline-label link-button" onClick={() => onSelect(entry.nodeId)}>
              {entry.nodeId}
            </button>
            <div className="timeline-track">
              <div
                className={`timeline-bar status-${entry.status}`}
                style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                title={`${entry.nodeId}: attempt ${entry.attempt}, ${formatDuration(to - from)}`}
              />
            </div>
            <span className="timeline-value small muted">
              {formatDuration(to - from)}
              {entry.attempt > 1 ? ` · ${entry.attempt} attempts` : ''}
            </span>
          </div>
        );
      })}
      <div className="timeline-axis small muted" aria-hidden="true">
        <span>0</span>
        <span>{formatDuration(span)}</span>
      </div>
    </div>
  );
}
