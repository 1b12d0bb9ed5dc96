// Where the intake of an account stands, per watched folder (GET /api/mail/accounts/:id/intake):
// whether it is listened to, the last message taken (UID), the back-fill's progress, what is stored
// and not routed yet, the last error.
import { useApi } from '../api/use-api.ts';
import type { AccountIntakeStatus, FolderIntakeStatus } from './mail-types.ts';

const POLL_MS = 5_000;

/** The folder's listener in words; without one in this server process, whether another holds the lease. */
function listenerWords(folder: FolderIntakeStatus): string {
  const { listener } = folder;
  if (!listener) {
    const leased = folder.leaseUntil !== undefined && Date.parse(folder.leaseUntil) > Date.now();
    return leased ? 'read by another Trellis process' : 'not read yet';
  }
  switch (listener.state) {
    case 'listening':
      return listener.idle ? 'listening (new mail at once)' : 'listening (checked by polling)';
    case 'standby':
      return 'read by another Trellis process';
    case 'backing-off':
      return `reconnecting (attempt ${listener.attempts})`;
    case 'starting':
    case 'connecting':
      return 'connecting';
    case 'stopped':
      return 'stopped';
  }
}

export function IntakeStatus({ accountId }: { accountId: string }) {
  // Kept fresh: a listener connects, drops, backs off; a back-fill moves on.
  const { data } = useApi<AccountIntakeStatus>(`/mail/accounts/${encodeURIComponent(accountId)}/intake`, {
    pollMs: POLL_MS,
    poll: () => true,
  });
  if (!data || data.folders.length === 0) return null;
  return (
    <ul className="mail-intake small" aria-label="Intake">
      {data.folders.map((folder) => {
        const error = folder.listener?.lastError ?? folder.lastError;
        return (
          <li key={folder.folder} data-folder={folder.folder}>
            <strong>{folder.folder}</strong> {listenerWords(folder)}
            {folder.lastUid > 0 ? <span className="muted"> · last UID {folder.lastUid}</span> : null}
            {folder.backfill && folder.backfill.done < folder.backfill.total ? (
              <span className="muted">
                {' '}
                · back-fill {folder.backfill.done} of {folder.backfill.total}
              </span>
            ) : null}
            {folder.routingOwed > 0 ? <span className="muted"> · {folder.routingOwed} stored, to route</span> : null}
            {error ? <div className="mail-state-error wrap">{error}</div> : null}
          </li>
        );
      })}
    </ul>
  );
}
