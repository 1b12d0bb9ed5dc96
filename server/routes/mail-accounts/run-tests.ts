import {
  testImap,
  testSmtp,
  type ConnectionTestResult,
  type ImapTestDetails,
  type SmtpTestDetails,
} from '../../../mail/connection-test.ts';
import type { ImapSecrets, SmtpSecrets } from '../../../mail/connections.ts';
import { setMailAccountState, type MailDirection } from '../../../store/mail-accounts.ts';
import type { Queryable } from '../../../store/db.ts';

export interface ConnectionTestReport {
  imap?: ConnectionTestResult<ImapTestDetails>;
  smtp?: ConnectionTestResult<SmtpTestDetails>;
}

/** Tests the given directions side by side; a direction without settings is left out. */
export async function runConnectionTests(
  settings: { imap?: ImapSecrets; smtp?: SmtpSecrets },
  directions: readonly MailDirection[],
): Promise<ConnectionTestReport> {
  const [imap, smtp] = await Promise.all([
    directions.includes('imap') && settings.imap ? testImap(settings.imap) : undefined,
    directions.includes('smtp') && settings.smtp ? testSmtp(settings.smtp) : undefined,
  ]);
  return { ...(imap ? { imap } : {}), ...(smtp ? { smtp } : {}) };
}

/** Keeps what a test found on the account, for the editor and /api/health. */
export async function recordConnectionTests(db: Queryable, id: string, report: ConnectionTestReport): Promise<void> {
  for (const direction of ['imap', 'smtp'] as const) {
    const result = report[direction];
    if (!result) continue;
    await setMailAccountState(db, id, direction, result.ok ? 'ok' : 'failing', result.ok ? undefined : result.message);
  }
}
