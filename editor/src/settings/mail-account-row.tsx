// One account in the list: where it reads and sends, whether each works, and what can be done to it.
import { useState, type ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { ConnectionResults } from './connection-results.tsx';
import { ConnectionState } from './connection-state.tsx';
import { mailApi } from './mail-api.ts';
import type { ConnectionTest, MailAccount } from './mail-types.ts';

export function MailAccountRow({
  account,
  onEdit,
  onRemove,
  onTested,
  intake,
}: {
  account: MailAccount;
  onEdit: () => void;
  onRemove: () => void;
  /** After a test, the account's stored states have changed. */
  onTested: () => void;
  /** Intake progress of the account's folders, where the server offers it. */
  intake?: ReactNode;
}) {
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ConnectionTest | undefined>();
  const [error, setError] = useState<string | undefined>();

  const runTest = async () => {
    setTesting(true);
    setError(undefined);
    setTest(undefined);
    try {
      setTest(await mailApi.testSaved(account.id));
      onTested();
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setTesting(false);
    }
  };

  return (
    <>
      <tr data-account={account.id} className={test || error ? 'has-detail' : undefined}>
        <th scope="row">
          <div className="mail-account-name">{account.displayName || account.address}</div>
          <div className="muted small">
            {account.displayName ? `${account.address} · ` : ''}
            <code>{account.id}</code>
          </div>
        </th>
        <td>
          <ConnectionState configured={!!account.imap} state={account.imapState} error={account.imapError} />
          {account.imap ? (
            <div className="muted small">
              {account.imap.host}:{account.imap.port} · {(account.imap.folders ?? ['INBOX']).join(', ')}
            </div>
          ) : null}
          {intake}
        </td>
        <td>
          <ConnectionState configured={!!account.smtp} state={account.smtpState} error={account.smtpError} />
          {account.smtp ? (
            <div className="muted small">
              {account.smtp.host}:{account.smtp.port}
            </div>
          ) : null}
        </td>
        <td className="cell-actions">
          <div className="mail-row-actions">
            <button type="button" className="btn" onClick={() => void runTest()} disabled={testing}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" className="btn" onClick={onEdit} disabled={testing}>
              Edit
            </button>
            <button type="button" className="btn btn-quiet" onClick={onRemove} disabled={testing}>
              Remove
            </button>
          </div>
        </td>
      </tr>
      {test || error ? (
        <tr className="mail-test-row" data-account-test={account.id}>
          <td colSpan={4}>
            {test ? <ConnectionResults test={test} /> : null}
            {error ? (
              <p role="alert" className="error-text small">
                {error}
              </p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
