import type { Queryable } from '../../../store/db.ts';
import { listMailAccounts, type MailDirection } from '../../../store/mail-accounts.ts';

/** Health answers fast even when the database hangs: the mail section waits at most this long. */
const MAIL_HEALTH_MS = 2_000;

export interface FailingMailConnection {
  account: string;
  direction: MailDirection;
  error: string;
}

/**
 * Mail accounts whose last test or listener found a direction failing, with the error a person
 * should read (never a password). A database that cannot answer leaves the section out: health
 * reports the database itself.
 */
export async function mailHealth(db: Queryable): Promise<{ failing: FailingMailConnection[] } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), MAIL_HEALTH_MS);
  });
  try {
    const accounts = await Promise.race([listMailAccounts(db), late]);
    if (!accounts) return undefined;
    const failing = accounts.flatMap((account) =>
      (['imap', 'smtp'] as const)
        .filter((direction) => account[`${direction}State`] === 'failing')
        .map((direction) => ({
          account: account.id,
          direction,
          error: account[`${direction}Error`] ?? 'failing (no message recorded)',
        })),
    );
    return { failing };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
