// Asks before an account goes: its stored passwords go with it, and no more mail is read from it.
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
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
  const remove = async () => {
    await mailApi.remove(account.id);
    toast.success(`Removed ${account.address}.`);
    onRemoved();
  };
  return (
    <ConfirmDialog
      title={`Remove ${account.address}?`}
      onClose={onClose}
      action={remove}
      actionLabel="Remove account"
      busyLabel="Removing…"
      tone="danger"
    >
      <p>
        Trellis stops reading and sending mail through <strong>{account.address}</strong> and forgets its stored
        passwords. The mailbox itself and the runs its mail started are not touched.
      </p>
    </ConfirmDialog>
  );
}
