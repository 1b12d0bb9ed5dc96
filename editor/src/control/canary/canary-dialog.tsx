// Runs a canary: the operator picks the slice of the ledger (time range, client, how many), the
// server replays it through the candidate and answers with the report, which opens.
import { useState, type ReactNode } from 'react';
import { describeError } from '../../api/client.ts';
import type { CanaryReport, CanarySlice } from '../../api/types.ts';
import { navigate, paths } from '../../app/router.ts';
import { Dialog } from '../../ui/dialog.tsx';
import { ClientField } from '../client-field.tsx';
import type { ClientSummary } from '../directory.ts';

/** `datetime-local` gives local wall time without a zone; the API wants an instant. */
function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function CanaryDialog({
  title,
  open,
  onClose,
  explain,
  clients,
  run,
  blocked,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  explain: ReactNode;
  clients: ClientSummary[];
  run: (slice: CanarySlice) => Promise<CanaryReport>;
  /** Why the canary cannot run yet (the candidate is incomplete); the button stays disabled. */
  blocked?: string | undefined;
  /** Fields of the candidate, above the slice. */
  children?: ReactNode;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [clientId, setClientId] = useState('');
  const [limit, setLimit] = useState(50);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const start = async () => {
    setBusy(true);
    setError(undefined);
    const fromAt = toInstant(from);
    const toAt = toInstant(to);
    try {
      const report = await run({
        ...(fromAt ? { from: fromAt } : {}),
        ...(toAt ? { to: toAt } : {}),
        ...(clientId ? { clientId } : {}),
        limit,
      });
      setBusy(false);
      onClose();
      navigate(paths.canary(report.id));
    } catch (reason) {
      setError(describeError(reason));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} open={open} onClose={onClose} busy={busy} wide>
      <div className="muted small">{explain}</div>
      <form
        className="slice-form"
        aria-label="Canary"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) void start();
        }}
      >
        {children}
        <fieldset className="plain-fieldset" disabled={busy}>
          <legend>Slice of the ledger</legend>
          <div className="field-row">
            <label className="field">
              <span className="field-label">From</span>
              <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">Until</span>
              <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
          </div>
          <div className="field-row">
            <ClientField label="Client" value={clientId} onChange={setClientId} clients={clients} />
            <label className="field">
              <span className="field-label">At most (past runs or events)</span>
              <input
                type="number"
                min={1}
                max={500}
                value={limit}
                onChange={(e) => setLimit(Math.min(500, Math.max(1, Number(e.target.value) || 1)))}
              />
            </label>
          </div>
        </fieldset>
        {error ? (
          <p role="alert" className="error-text">
            {error}
          </p>
        ) : null}
        {busy ? (
          <p role="status" className="muted small">
            Replaying the slice… a large one takes a few minutes; the report opens when every canary run has finished.
          </p>
        ) : null}
        <div className="dialog-actions">
          {blocked && !busy ? <span className="muted small">{blocked}</span> : null}
          <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || Boolean(blocked)}>
            {busy ? 'Running canary…' : 'Run canary'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
