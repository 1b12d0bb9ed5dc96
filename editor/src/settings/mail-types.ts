// Shapes of the mail accounts API, all taken from where the server defines them (the JSON Schemas
// in schemas/mail-account.ts and the connection test's report); nothing is written twice here.
import type { ConnectionFailureCode } from '../../../mail/connection-errors.ts';
import type { ImapTestDetails, SmtpTestDetails } from '../../../mail/connection-test.ts';
import type {
  MailAccount,
  MailAccountInput,
  MailConnectionState,
  MailSecurity,
} from '../../../schemas/mail-account.ts';
import { mailAfterRunActions, mailSecurityModes } from '../../../schemas/mail-account.ts';
import type { ListenerStatus } from '../../../mail/intake/folder-listener.ts';
import type { FolderStatus } from '../../../mail/intake/folder-store.ts';
import type { ConnectionTestReport } from '../../../server/routes/mail-accounts/run-tests.ts';

export type {
  ConnectionFailureCode,
  ImapTestDetails,
  SmtpTestDetails,
  MailAccount,
  MailAccountInput,
  MailConnectionState,
  MailSecurity,
};
export { mailAfterRunActions, mailSecurityModes };

export type MailDirection = 'imap' | 'smtp';
export type MailAfterRun = (typeof mailAfterRunActions)[number];

/** POST /api/mail/accounts[/:id]/test: one result a direction tried. */
export type ConnectionTest = ConnectionTestReport;
export type ConnectionResult = NonNullable<ConnectionTest[MailDirection]>;

/** The body of POST /api/mail/accounts/test: settings not saved yet, passwords included. */
export type UnsavedSettings = Pick<MailAccountInput, 'imap' | 'smtp'>;

/**
 * GET /api/mail/accounts/:id/intake, the part the page shows: each watched folder's checkpoint
 * and back-fill, with the listener when the answering server runs it (server/lib/mail-intake.ts
 * `AccountIntakeStatus`, which the editor's project cannot import: it extends Fastify's types).
 */
export type FolderIntakeStatus = FolderStatus & { listener?: ListenerStatus };
export interface AccountIntakeStatus {
  folders: FolderIntakeStatus[];
}
