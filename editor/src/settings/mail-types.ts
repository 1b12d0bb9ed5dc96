// Shapes of the mail accounts API, taken from the JSON Schemas the server validates with
// (schemas/mail-account.ts); what the editor adds is only how it names a combination.
import type {
  MailAccount,
  MailAccountInput,
  MailConnectionState,
  MailSecurity,
} from '../../../schemas/mail-account.ts';
import { mailAfterRunActions, mailSecurityModes } from '../../../schemas/mail-account.ts';

export type { MailAccount, MailAccountInput, MailConnectionState, MailSecurity };
export { mailAfterRunActions, mailSecurityModes };

export type MailDirection = 'imap' | 'smtp';
export type MailAfterRun = (typeof mailAfterRunActions)[number];

/** One direction's answer to POST /api/mail/accounts[/:id]/test. */
export type ConnectionResult =
  | { ok: true; details?: Record<string, unknown> }
  | { ok: false; code: 'auth' | 'tls' | 'unreachable' | 'folder' | 'other'; message: string };

export type ConnectionTest = Partial<Record<MailDirection, ConnectionResult>>;
