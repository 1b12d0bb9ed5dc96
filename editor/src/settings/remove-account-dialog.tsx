// Asks before an account goes: its stored passwords go with it, and no more mail is read from it.
import { useState } from 'react';
import { describeError } from '../api/client.ts';
import { Dialog } from '../ui/dialog.tsx';
import { toast } from '../ui/toasts.tsx';
import { mailApi } from './mail-api.ts';
import type { MailAccount } from './mail-types.ts';

export function RemoveAccountDialog({
  account,
  onClose,
  onRemoved,
}: {
  account: MailAccount;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await mailApi.remove(account.id);
      toast.success(`Removed ${account.address}.`);
      onRemoved();
    } catch (reason) {
      setError(describeError(reason));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Remove ${account.address}?`} open onClose={onClose} busy={busy}>
      <p>
        Trellis stops reading and sending mail through <strong>{account.address}</strong> and forgets its stored
        passwords. The mailbox itself and the runs its mail started are not touched.
      </p>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={() => void remove()} disabled={busy}>
          {busy ? 'Removing…' : 'Remove account'}
        </button>
      </div>
    </Dialog>
  );
}
