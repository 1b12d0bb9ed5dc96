// Settings › Mail: the mailboxes Trellis reads and sends through, whether each direction works,
// and the forms that add, test, change and remove them.
import { useState } from 'react';
import { useApi } from '../api/use-api.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { IntakeStatus } from './intake-status.tsx';
import { MailAccountDialog } from './mail-account-dialog.tsx';
import { MailAccountRow } from './mail-account-row.tsx';
import { mailAccountsPath } from './mail-api.ts';
import type { MailAccount } from './mail-types.ts';
import { RemoveAccountDialog } from './remove-account-dialog.tsx';

type Open = { kind: 'add' } | { kind: 'edit'; account: MailAccount } | { kind: 'remove'; account: MailAccount };

export function MailSettingsPage() {
  const accounts = useApi<{ accounts: MailAccount[] }>(mailAccountsPath);
  const [open, setOpen] = useState<Open | undefined>();
  const close = () => setOpen(undefined);
  const list = accounts.data?.accounts ?? [];

  return (
    <Page
      title="Mail"
      actions={
        <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: 'add' })}>
          Add account
        </button>
      }
    >
      <p className="muted mail-intro">
        The mailboxes Trellis reads client mail from (IMAP) and sends approved replies and invoices through (SMTP).
      </p>
      <LoadState loading={accounts.loading && !accounts.data} error={accounts.error} />
      {accounts.data && list.length === 0 ? (
        <EmptyState title="No mailbox connected">
          <p>
            Connect a mailbox and each email that arrives in it starts the workflows that listen to it, and approved
            replies go out from your own address. Everything else in Trellis works without one.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: 'add' })}>
            Add account
          </button>
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <table className="table mail-accounts">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Reading (IMAP)</th>
              <th scope="col">Sending (SMTP)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((account) => (
              <MailAccountRow
                key={account.id}
                account={account}
                onEdit={() => setOpen({ kind: 'edit', account })}
                onRemove={() => setOpen({ kind: 'remove', account })}
                onTested={accounts.reload}
                intake={
                  // Changed settings restart the listener: its status is read afresh.
                  account.imap ? <IntakeStatus key={account.updatedAt} accountId={account.id} /> : null
                }
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {open?.kind === 'add' || open?.kind === 'edit' ? (
        <MailAccountDialog
          key={open.kind === 'edit' ? open.account.id : 'add'}
          account={open.kind === 'edit' ? open.account : undefined}
          onClose={close}
          onSaved={() => {
            close();
            accounts.reload();
          }}
        />
      ) : null}
      {open?.kind === 'remove' ? (
        <RemoveAccountDialog
          account={open.account}
          onClose={close}
          onRemoved={() => {
            close();
            accounts.reload();
          }}
        />
      ) : null}
    </Page>
  );
}
