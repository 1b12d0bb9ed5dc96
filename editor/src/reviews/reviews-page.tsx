// The review queue: what waits for a person, with its context; approve, edit or reject. The
// workflow that asked goes on with the decision (an edit is stored back to memory by it).
import { useState } from 'react';
import { api, ApiError, describeError, query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { ReviewTask } from '../api/types.ts';
import { navigate, paths, useLocation } from '../app/router.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { formatDate } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { SchemaForm, type FormValue } from '../ui/schema-form.tsx';
import { toast } from '../ui/toasts.tsx';
import { readableText, TaskContext } from './task-context.tsx';

const REVIEWER_KEY = 'trellis.reviewer';

type Decision = { decision: 'approved' | 'edited' | 'rejected'; value?: unknown; note?: string };

function EditForm({
  task,
  onSubmit,
  onCancel,
  problems,
}: {
  task: ReviewTask;
  onSubmit: (value: unknown) => void;
  onCancel: () => void;
  problems: { pointer: string; message: string }[];
}) {
  const asText = !task.valueSchema && typeof task.proposed === 'string';
  const [text, setText] = useState(() =>
    asText ? (task.proposed as string) : JSON.stringify(task.proposed ?? {}, null, 2),
  );
  const [value, setValue] = useState<unknown>(task.proposed);
  const [error, setError] = useState<string | undefined>();

  if (task.valueSchema) {
    return (
      <SchemaForm
        id={`edit-${task.id}`}
        schema={task.valueSchema}
        value={value}
        onChange={(next: FormValue) => setValue(next)}
        onSubmit={(next) => onSubmit(next)}
        problems={problems}
      >
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Save edit
          </button>
        </div>
      </SchemaForm>
    );
  }
  const submit = () => {
    if (asText) return onSubmit(text);
    try {
      onSubmit(JSON.parse(text));
    } catch (reason) {
      setError(`Not JSON: ${describeError(reason)}`);
    }
  };
  return (
    <div>
      <label className="field">
        <span className="field-label">{asText ? 'Edited text' : 'Edited value (JSON)'}</span>
        <textarea className={asText ? '' : 'code'} rows={10} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {error || problems.length > 0 ? (
        <p role="alert" className="error-text">
          {error ?? problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={submit}>
          Save edit
        </button>
      </div>
    </div>
  );
}

function TaskCard({ task, reviewer, onDecided }: { task: ReviewTask; reviewer: string; onDecided: () => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'reject'>('view');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<{ pointer: string; message: string }[]>([]);
  const [error, setError] = useState<string | undefined>();

  const decide = async (decision: Decision) => {
    setBusy(true);
    setError(undefined);
    try {
      // An agent's tool call: the decision binds to the arguments shown (the server refuses it if they changed).
      const digest = (task.context as { digest?: unknown } | undefined)?.digest;
      await api.post(`/reviews/${encodeURIComponent(task.id)}/decision`, {
        ...decision,
        reviewer,
        ...(typeof digest === 'string' ? { digest } : {}),
      });
      toast.success(`${task.title}: ${decision.decision}.`);
      onDecided();
    } catch (reason) {
      if (reason instanceof ApiError && reason.status === 409) {
        toast.info('Someone decided this task already.');
        onDecided();
        return;
      }
      if (reason instanceof ApiError)
        setProblems(
          (reason.errors as { pointer?: string; message?: string }[])
            .filter((e) => e.pointer?.startsWith('/value'))
            .map((e) => ({ pointer: (e.pointer ?? '').replace(/^\/value/, ''), message: e.message ?? 'invalid' })),
        );
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };

  const heading = `task-${task.id}`;
  // An event rejected at ingest: shown with its error and offered only for discarding, never for routing.
  const unreadable = task.kind === 'triage' && 'unreadable' in task.context;
  return (
    <li className="card task-card" aria-labelledby={heading} data-task-id={task.id}>
      <div className="task-head">
        <h3 id={heading}>{task.title}</h3>
        <span className="chip">{task.kind}</span>
      </div>
      <p className="small muted">
        {task.kind === 'triage' ? (
          <>
            Event <code>{task.runId}</code> · <Link href={paths.control('routings')}>routing</Link>
          </>
        ) : (
          <>
            <Link href={paths.run(task.runId)}>Run</Link> · node <code>{task.nodeId}</code>
          </>
        )}{' '}
        · asked {formatDate(task.createdAt)}
        {task.dueAt ? ` · due ${formatDate(task.dueAt)}` : ''}
        {task.assignee ? ` · for ${task.assignee}` : ''}
      </p>
      {task.reason ? <p className="notice small">Why a person: {task.reason}</p> : null}
      <p className="instructions">{task.instructions}</p>
      <TaskContext task={task} />
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {mode === 'edit' ? (
        <EditForm
          task={task}
          problems={problems}
          onCancel={() => setMode('view')}
          onSubmit={(value) => void decide({ decision: 'edited', value })}
        />
      ) : null}
      {mode === 'reject' ? (
        <div>
          <label className="field">
            <span className="field-label">Why reject (optional)</span>
            <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="dialog-actions">
            <button type="button" className="btn btn-quiet" onClick={() => setMode('view')}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void decide({ decision: 'rejected', ...(note.trim() ? { note: note.trim() } : {}) })}
            >
              Reject
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'view' && unreadable ? (
        <div className="card-actions">
          <button type="button" className="btn btn-quiet" disabled={busy} onClick={() => setMode('reject')}>
            Discard…
          </button>
        </div>
      ) : null}
      {mode === 'view' && !unreadable ? (
        <div className="card-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || task.proposed === undefined}
            title={task.proposed === undefined ? 'Nothing was proposed: edit to give the value.' : undefined}
            onClick={() => void decide({ decision: 'approved' })}
          >
            Approve
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => setMode('edit')}>
            Edit{readableText(task.proposed) !== undefined ? ' text' : ''}…
          </button>
          <button type="button" className="btn btn-quiet" disabled={busy} onClick={() => setMode('reject')}>
            Reject…
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function ReviewsPage() {
  // The kind filter lives in the address, so a link can open the queue on one kind (triage).
  const { search } = useLocation();
  const kind = search.get('kind') ?? '';
  const setKind = (value: string) => navigate(value ? paths.reviewsOf(value) : paths.reviews, { replace: true });
  const [reviewer, setReviewer] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? 'operator');
  const { data, error, loading, reload } = useApi<{ tasks: ReviewTask[] }>(
    `/reviews${query({ state: 'pending', kind, limit: 50 })}`,
    {
      // New tasks arrive while you read: look again now and then.
      pollMs: 5000,
      poll: () => true,
    },
  );
  const tasks = data?.tasks ?? [];
  return (
    <Page
      title="Review queue"
      actions={
        <>
          <label className="field inline">
            <span className="field-label">Reviewing as</span>
            <input
              value={reviewer}
              onChange={(e) => {
                setReviewer(e.target.value);
                localStorage.setItem(REVIEWER_KEY, e.target.value);
              }}
            />
          </label>
          <label className="field inline">
            <span className="field-label">Kind</span>
            <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">All</option>
              <option value="review">Review</option>
              <option value="draft">Draft</option>
              <option value="extraction">Extraction</option>
              <option value="triage">Triage</option>
              <option value="fallback">Fallback</option>
            </select>
          </label>
        </>
      }
    >
      <LoadState loading={loading && !data} error={error} />
      {data && tasks.length === 0 ? (
        <EmptyState title="Nothing waits for you">
          <p>
            When a workflow needs a person, the task appears here: a human-review step, a draft no model could write, or
            an extraction below its confidence threshold. Each comes with the event that started it, the memory it used
            and what the machine proposes; you approve, edit or reject, and the run goes on.
          </p>
        </EmptyState>
      ) : null}
      <ul className="task-list">
        {tasks.map((task) => (
          <TaskCard key={task.id} task={task} reviewer={reviewer.trim() || 'operator'} onDecided={reload} />
        ))}
      </ul>
    </Page>
  );
}
