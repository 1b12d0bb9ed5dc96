// What a reviewer needs beside the value: the event that started it, the memory that was used, and
// the extraction or draft the machine made. Whatever else the task carries is shown as JSON.
import type { ReviewTask } from '../api/types.ts';
import { JsonViewer } from '../ui/json-viewer.tsx';
import { findRetrievals, RetrievalView } from '../runs/retrieval-view.tsx';
import { ExtractionEvidence, hasEvidence } from './extraction-evidence.tsx';

interface EventLike {
  type?: string;
  actor?: { name?: string; address?: string };
  source?: { uri?: string; version?: string };
  occurredAt?: string;
  payload?: { subject?: string; text?: string };
}

function EventView({ event, withText = true }: { event: EventLike; withText?: boolean }) {
  const from = [event.actor?.name, event.actor?.address && `<${event.actor.address}>`].filter(Boolean).join(' ');
  return (
    <div className="event-view">
      <p className="small muted">
        {event.type ?? 'event'}
        {from ? ` from ${from}` : ''}
        {event.occurredAt ? `, ${new Date(event.occurredAt).toLocaleString()}` : ''}
      </p>
      {event.payload?.subject ? <p className="event-subject">{event.payload.subject}</p> : null}
      {withText && event.payload?.text ? <pre className="event-text">{event.payload.text}</pre> : null}
      {event.source?.uri ? (
        <p className="small muted">
          Source <code className="wrap">{event.source.uri}</code> @ {event.source.version}
        </p>
      ) : null}
    </div>
  );
}

/** Text to read as text: a string, or an object's `text` (drafts carry one). */
export function readableText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string')
    return (value as { text: string }).text;
  return undefined;
}

const SHOWN = new Set(['event', 'extraction', 'draft', 'records', 'context', 'retrieval']);

export function TaskContext({ task }: { task: ReviewTask }) {
  const context = task.context as Record<string, unknown>;
  const event = (context.event ?? (context.input as { event?: unknown } | undefined)?.event) as EventLike | undefined;
  const retrievals = findRetrievals(context.context, context.retrieval, context.input);
  const records = Array.isArray(context.records) ? (context.records as unknown[]) : [];
  const rest = Object.fromEntries(Object.entries(context).filter(([key]) => !SHOWN.has(key)));
  const draftText = readableText(task.proposed);
  // An extraction to check: the email with what was read from where, instead of the bare text.
  const proposedExtraction = (task.proposed as { extraction?: unknown } | undefined)?.extraction;
  const evidence = task.kind === 'extraction' && hasEvidence(proposedExtraction) ? proposedExtraction : undefined;
  return (
    <div className="task-context">
      {event ? (
        <section aria-label="Event">
          <h4>Event</h4>
          <EventView event={event} withText={!evidence} />
        </section>
      ) : null}
      {evidence ? (
        <section aria-label="What was read">
          <h4>What was read, and where</h4>
          <ExtractionEvidence extraction={evidence} />
        </section>
      ) : null}
      {retrievals.map((retrieval) => (
        <section key={retrieval.fingerprint} aria-label="Retrieved memory">
          <h4>Retrieved memory</h4>
          <RetrievalView retrieval={retrieval} />
        </section>
      ))}
      {records.length > 0 ? (
        <section aria-label="Records used">
          <h4>Records used</h4>
          <JsonViewer value={records} label="Records used" />
        </section>
      ) : null}
      {context.extraction !== undefined ? (
        <section aria-label="Extraction">
          <h4>Extraction</h4>
          <JsonViewer value={context.extraction} label="Extraction" />
        </section>
      ) : null}
      {task.proposed !== undefined ? (
        <section aria-label="Proposed value">
          <h4>{task.kind === 'draft' ? 'Draft' : 'Proposed value'}</h4>
          {draftText !== undefined ? <pre className="draft-text">{draftText}</pre> : null}
          {draftText === undefined || typeof task.proposed === 'object' ? (
            <JsonViewer value={task.proposed} label="Proposed value" />
          ) : null}
        </section>
      ) : null}
      {Object.keys(rest).length > 0 ? (
        <details className="config-details">
          <summary>More context</summary>
          <JsonViewer value={rest} label="More context" />
        </details>
      ) : null}
    </div>
  );
}
