// A dialog that asks once before one action: Cancel, or the action with its own word while it runs,
// and the server's reason under the text when it fails (the dialog stays open to try again).
import { useState, type ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { Dialog } from './dialog.tsx';

export function ConfirmDialog({
  title,
  open = true,
  onClose,
  action,
  actionLabel,
  busyLabel,
  tone = 'primary',
  children,
}: {
  title: string;
  open?: boolean;
  onClose: () => void;
  /** Runs the action; a thrown error is shown in the dialog. */
  action: () => Promise<void>;
  actionLabel: string;
  busyLabel: string;
  tone?: 'primary' | 'danger';
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (reason) {
      setError(describeError(reason));
    }
    setBusy(false);
  };
  return (
    <Dialog title={title} open={open} onClose={onClose} busy={busy}>
      {children}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={`btn btn-${tone}`} onClick={() => void run()} disabled={busy}>
          {busy ? busyLabel : actionLabel}
        </button>
      </div>
    </Dialog>
  );
}
