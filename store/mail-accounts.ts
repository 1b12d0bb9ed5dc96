import type {
  ImapSettings,
  MailAccount,
  MailAccountInput,
  MailConnectionState,
  SmtpSettings,
} from '../schemas/mail-account.ts';
import { EnvelopeError, openText, seal } from '../security/envelope.ts';
import type { Keyring } from '../security/keyring.ts';
import type { Db, Queryable } from './db.ts';

// Mail accounts (migration 0014). Passwords are sealed with the keyring, bound to the account and
// the direction, and opened only by `getMailAccountSecrets` for the process that connects: they
// never leave this module in an answer, a history, a log or an error message.

export type MailDirection = 'imap' | 'smtp';

/** What a connection needs: the settings with the password in clear. Never returned by the API. */
export interface MailAccountSecrets {
  id: string;
  address: string;
  displayName?: string;
  imap?: ImapSettings & { password?: string };
  smtp?: SmtpSettings & { password?: string };
}

interface AccountRow {
  id: string;
  display_name: string | null;
  address: string;
  imap: ImapSettings | null;
  imap_password: string | null;
  smtp: SmtpSettings | null;
  smtp_password: string | null;
  imap_state: MailConnectionState;
  imap_error: string | null;
  smtp_state: MailConnectionState;
  smtp_error: string | null;
  created_at: Date;
  updated_at: Date;
}

const contextOf = (id: string, direction: MailDirection) => `mail_accounts:${id}:${direction}_password`;

function openPassword(keyring: Keyring, id: string, direction: MailDirection, sealed: string): string {
  try {
    return openText(keyring, sealed, contextOf(id, direction));
  } catch (error) {
    const reason = error instanceof EnvelopeError ? error.message : String(error);
    throw new EnvelopeError(
      `the ${direction} password of mail account "${id}" does not open with this keyring: ${reason}`,
    );
  }
}

function toAccount(row: AccountRow): MailAccount {
  return {
    id: row.id,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    address: row.address,
    ...(row.imap ? { imap: { ...row.imap, hasPassword: row.imap_password !== null } } : {}),
    ...(row.smtp ? { smtp: { ...row.smtp, hasPassword: row.smtp_password !== null } } : {}),
    imapState: row.imap ? row.imap_state : 'disabled',
    ...(row.imap_error ? { imapError: row.imap_error } : {}),
    smtpState: row.smtp ? row.smtp_state : 'disabled',
    ...(row.smtp_error ? { smtpError: row.smtp_error } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function split<T extends { password?: string }>(
  settings: T | undefined,
): [Omit<T, 'password'> | null, string | undefined] {
  if (!settings) return [null, undefined];
  const { password, ...rest } = settings;
  return [rest, password];
}

/** Creates an account; undefined when the id is taken. */
export async function createMailAccount(
  db: Queryable,
  keyring: Keyring,
  input: MailAccountInput,
): Promise<MailAccount | undefined> {
  const [imap, imapPassword] = split(input.imap);
  const [smtp, smtpPassword] = split(input.smtp);
  const { rows } = await db.query<AccountRow>(
    `insert into mail_accounts (id, display_name, address, imap, imap_password, smtp, smtp_password)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing returning *`,
    [
      input.id,
      input.displayName ?? null,
      input.address,
      imap,
      imapPassword === undefined ? null : seal(keyring, imapPassword, contextOf(input.id, 'imap')),
      smtp,
      smtpPassword === undefined ? null : seal(keyring, smtpPassword, contextOf(input.id, 'smtp')),
    ],
  );
  return rows[0] && toAccount(rows[0]);
}

export async function listMailAccounts(db: Queryable): Promise<MailAccount[]> {
  const { rows } = await db.query<AccountRow>('select * from mail_accounts order by id');
  return rows.map(toAccount);
}

export async function getMailAccount(db: Queryable, id: string): Promise<MailAccount | undefined> {
  const { rows } = await db.query<AccountRow>('select * from mail_accounts where id = $1', [id]);
  return rows[0] && toAccount(rows[0]);
}

/** The account with its passwords opened, for the process that connects to it. */
export async function getMailAccountSecrets(
  db: Queryable,
  keyring: Keyring,
  id: string,
): Promise<MailAccountSecrets | undefined> {
  const { rows } = await db.query<AccountRow>('select * from mail_accounts where id = $1', [id]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    address: row.address,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    ...(row.imap
      ? {
          imap: {
            ...row.imap,
            ...(row.imap_password ? { password: openPassword(keyring, row.id, 'imap', row.imap_password) } : {}),
          },
        }
      : {}),
    ...(row.smtp
      ? {
          smtp: {
            ...row.smtp,
            ...(row.smtp_password ? { password: openPassword(keyring, row.id, 'smtp', row.smtp_password) } : {}),
          },
        }
      : {}),
  };
}

/** Patch for an update: a direction set to null removes it; a direction without a password keeps the stored one. */
export type MailAccountPatch = Partial<Omit<MailAccountInput, 'id' | 'imap' | 'smtp'>> & {
  imap?: MailAccountInput['imap'] | null;
  smtp?: MailAccountInput['smtp'] | null;
};

/** Applies a patch in one transaction; undefined when there is no such account. */
export async function updateMailAccount(
  db: Db,
  keyring: Keyring,
  id: string,
  patch: MailAccountPatch,
): Promise<MailAccount | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<AccountRow>('select * from mail_accounts where id = $1 for update', [id]);
    const row = rows[0];
    if (!row) return undefined;
    const next = { ...row };
    if (patch.displayName !== undefined) next.display_name = patch.displayName || null;
    if (patch.address !== undefined) next.address = patch.address;
    for (const direction of ['imap', 'smtp'] as const) {
      const given = patch[direction];
      if (given === undefined) continue;
      const [settings, password] = split(given ?? undefined);
      if (direction === 'imap') next.imap = settings as ImapSettings | null;
      else next.smtp = settings;
      const column = direction === 'imap' ? 'imap_password' : 'smtp_password';
      // Settings changed: the last known state no longer says anything.
      next[direction === 'imap' ? 'imap_state' : 'smtp_state'] = 'unknown';
      next[direction === 'imap' ? 'imap_error' : 'smtp_error'] = null;
      if (settings === null) next[column] = null;
      else if (password !== undefined) next[column] = seal(keyring, password, contextOf(id, direction));
    }
    const updated = await tx.query<AccountRow>(
      `update mail_accounts set display_name = $2, address = $3, imap = $4, imap_password = $5, smtp = $6,
         smtp_password = $7, imap_state = $8, imap_error = $9, smtp_state = $10, smtp_error = $11, updated_at = now()
       where id = $1 returning *`,
      [
        id,
        next.display_name,
        next.address,
        next.imap,
        next.imap_password,
        next.smtp,
        next.smtp_password,
        next.imap_state,
        next.imap_error,
        next.smtp_state,
        next.smtp_error,
      ],
    );
    return toAccount(updated.rows[0]!);
  });
}

/** Deletes an account with its checkpoints and claims; the events and sent-mail records stay. */
export async function deleteMailAccount(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from mail_accounts where id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** Records whether a direction works, with the error a person should read (never a password). */
export async function setMailAccountState(
  db: Queryable,
  id: string,
  direction: MailDirection,
  state: MailConnectionState,
  error?: string,
): Promise<void> {
  await db.query(
    direction === 'imap'
      ? 'update mail_accounts set imap_state = $2, imap_error = $3, imap_checked_at = now() where id = $1'
      : 'update mail_accounts set smtp_state = $2, smtp_error = $3, smtp_checked_at = now() where id = $1',
    [id, state, error?.slice(0, 2000) ?? null],
  );
}
