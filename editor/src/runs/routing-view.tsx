// How a routed run came to be: the intent router's decision (rule, intent, confidence, who chose)
// and the start policy's (now, or waited for a background window or a budget), from the run's
// input in its Temporal history: the ledger, not a second record.
import { memo } from 'react';
import type { RoutingDecision } from '../api/types.ts';
import { paths } from '../app/router.ts';
import { formatConfidence } from '../control/control-format.ts';
import { formatDate } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';

export const RoutingView = memo(function RoutingView({ routing }: { routing: RoutingDecision }) {
  const start = routing.start;
  return (
    <section className="panel routing-view" aria-labelledby="routing-title">
      <h3 id="routing-title">How this run started</h3>
      <dl className="facts">
        <div>
          <dt>Intent</dt>
          <dd>
            {routing.intent ?? '—'} <span className="muted">({formatConfidence(routing.confidence)})</span>
          </dd>
        </div>
        <div>
          <dt>Chosen by</dt>
          <dd>
            {routing.triageTaskId ? (
              <>triage: {routing.chosenBy ?? 'a person'}</>
            ) : routing.ruleId ? (
              <>
                rule <code>{routing.ruleId}</code>
              </>
            ) : (
              'the default route'
            )}
            {routing.ruleSetVersion !== undefined ? (
              <span className="muted"> · rules v{routing.ruleSetVersion}</span>
            ) : null}
          </dd>
        </div>
        {routing.eventId ? (
          <div>
            <dt>Event</dt>
            <dd>
              <code className="wrap">{routing.eventId}</code>
            </dd>
          </div>
        ) : null}
        {start ? (
          <div>
            <dt>Start</dt>
            <dd>
              {start.mode}
              {start.waitedUntil ? <> · waited until {formatDate(start.waitedUntil)}</> : null}
            </dd>
          </div>
        ) : null}
      </dl>
      <p className="small">{routing.reason}</p>
      {start?.reason ? <p className="small muted">Start: {start.reason}</p> : null}
      <p className="small">
        <Link href={paths.control('routings')}>Recent routings</Link>
      </p>
    </section>
  );
});
