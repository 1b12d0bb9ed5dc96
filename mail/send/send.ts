import type { Keyring } from '../../security/keyring.ts';
import type { Queryable } from '../../store/db.ts';
import { getMailAccountSecrets, type MailAccountSecrets } from '../../store/mail-accounts.ts';
import {
  claimForSending,
  getOutbox,
  getOutboxByKey,
  getOutboxRaw,
  insertOrFindOutbox,
  markOutboxFiled,
  markOutboxSent,
  markOutboxUncertain,
  noteOutboxError,
  releaseOutbox,
  type OutboxEntry,
} from '../../store/mail-outbox.ts';
import type { ComposedMessage } from '../compose/types.ts';
import { MailAccountError, MailOutcomeUnknownError, MailRefusedError, MailRetryableError } from './errors.ts';
import { appendToSent, findInSent } from './sent-folder.ts';
import { deliverRaw, SmtpOutcomeUnknown, SmtpRefusal } from './smtp-deliver.ts';

export interface SendDeps {
  db: Queryable;
  keyring: Keyring;
}

export interface SendRequest {
  accountId: string;
  composed: ComposedMessage;
  /** One per (run, node): the outbox row's key. */
  idempotencyKey: string;
  /** A reviewer's name, or 'auto'. */
  approvedBy?: string;
  workflowId?: string;
  runId?: string;
  nodeId?: string;
}

export interface SendResult {
  entry: OutboxEntry;
  /** sent: handed to SMTP now; already-sent: an earlier attempt did; found-in-sent: an unknown outcome settled by the Sent folder. */
  how: 'sent' | 'already-sent' | 'found-in-sent';
}

async function accountFor(deps: SendDeps, accountId: string): Promise<MailAccountSecrets & { smtp: object }> {
  const account = await getMailAccountSecrets(deps.db, deps.keyring, accountId);
  if (!account) throw new MailAccountError(`mail account "${accountId}" does not exist`);
  if (!account.smtp) throw new MailAccountError(`mail account "${accountId}" has no SMTP settings`);
  return account as MailAccountSecrets & { smtp: object };
}

/** Looks for the message in Sent; the reason it stays unknown when it is not found there. */
async function lookInSent(account: MailAccountSecrets, messageId: string): Promise<{ folder: string } | string> {
  if (!account.imap) return 'the account has no IMAP to check its Sent folder';
  try {
    const result = await findInSent(account.imap, messageId);
    if (!result) return 'the account has no Sent folder to check';
    return result.found ? { folder: result.folder } : `not in the Sent folder "${result.folder}"`;
  } catch (error) {
    return `the Sent folder could not be searched: ${(error as Error).message}`;
  }
}

/** The outcome of an earlier hand-off is unknown: the Sent folder settles it, else a person must. */
async function settleUnknown(deps: SendDeps, account: MailAccountSecrets, entry: OutboxEntry, why: string) {
  const seen = await lookInSent(account, entry.messageId);
  if (typeof seen !== 'string') {
    const sent = await markOutboxSent(deps.db, entry.id, `found in the Sent folder "${seen.folder}"`);
    await markOutboxFiled(deps.db, entry.id, seen.folder);
    const settled = sent ?? (await getOutbox(deps.db, entry.id));
    if (settled?.status === 'sent')
      return { entry: { ...settled, sentFolder: seen.folder }, how: 'found-in-sent' as const };
  }
  const reason = `${why}; ${typeof seen === 'string' ? seen : 'its status changed meanwhile'}`;
  if (entry.status === 'sending') await markOutboxUncertain(deps.db, entry.id, reason);
  throw new MailOutcomeUnknownError(entry.id, entry.messageId, reason);
}

/**
 * Before a resend (an earlier attempt was refused, or a person said it did not arrive), the Sent
 * folder has the last word: a copy there means it went out, so it is not sent again.
 */
async function alreadyInSent(
  deps: SendDeps,
  account: MailAccountSecrets,
  claimed: OutboxEntry,
): Promise<SendResult | undefined> {
  if (claimed.attempts <= 1 || !account.imap) return undefined;
  const seen = await lookInSent(account, claimed.messageId);
  if (typeof seen === 'string') return undefined;
  await markOutboxSent(deps.db, claimed.id, `found in the Sent folder "${seen.folder}" before a resend`);
  await markOutboxFiled(deps.db, claimed.id, seen.folder);
  const settled = await getOutbox(deps.db, claimed.id);
  return settled && { entry: settled, how: 'found-in-sent' };
}

/** Hands the stored bytes to SMTP (this attempt holds the `sending` claim), then records and files them. */
async function handOff(deps: SendDeps, account: MailAccountSecrets, entry: OutboxEntry): Promise<SendResult> {
  const raw = await getOutboxRaw(deps.db, entry.id);
  let response: string;
  try {
    response = await deliverRaw(account.smtp!, { from: account.address, to: entry.recipients }, raw);
  } catch (error) {
    if (error instanceof SmtpRefusal) {
      await releaseOutbox(deps.db, entry.id, error.permanent ? 'failed' : 'pending', error.message);
      throw error.permanent ? new MailRefusedError(error.message) : new MailRetryableError(error.message);
    }
    const reason = error instanceof SmtpOutcomeUnknown ? error.message : `unexpected: ${(error as Error).message}`;
    await markOutboxUncertain(deps.db, entry.id, reason);
    throw new MailOutcomeUnknownError(entry.id, entry.messageId, reason);
  }
  // Accepted. Record it first (the smallest window), then file the copy; if the record fails, the
  // copy in Sent still lets the next attempt find it instead of asking a person.
  let recordError: Error | undefined;
  let sent: OutboxEntry | undefined;
  try {
    sent = await markOutboxSent(deps.db, entry.id, response);
  } catch (error) {
    recordError = error instanceof Error ? error : new Error(String(error));
  }
  let folder: string | undefined;
  if (account.imap) {
    try {
      folder = await appendToSent(account.imap, raw);
      if (folder && !recordError) await markOutboxFiled(deps.db, entry.id, folder);
    } catch (error) {
      if (!recordError)
        await noteOutboxError(deps.db, entry.id, `sent, but not filed in Sent: ${(error as Error).message}`);
    }
  }
  if (recordError) throw recordError;
  const final = (await getOutbox(deps.db, entry.id)) ?? sent!;
  return { entry: final, how: 'sent' };
}

/**
 * Sends a composed message at most once per idempotency key. The outbox row decides: sent → return
 * it; pending → claim it and hand it to SMTP; an earlier attempt's `sending` or an `uncertain` row
 * → the outcome is unknown: the Sent folder settles it, otherwise a person does (never a resend).
 */
export async function sendOnce(deps: SendDeps, request: SendRequest): Promise<SendResult> {
  // Sent is final: answered without opening the account (it may have been changed or removed since).
  const earlier = await getOutboxByKey(deps.db, request.idempotencyKey);
  if (earlier?.status === 'sent') return { entry: earlier, how: 'already-sent' };
  const account = await accountFor(deps, request.accountId);
  let entry = await insertOrFindOutbox(deps.db, {
    idempotencyKey: request.idempotencyKey,
    accountId: request.accountId,
    messageId: request.composed.messageId,
    recipients: request.composed.envelope.to,
    subject: request.composed.subject,
    raw: request.composed.raw,
    ...(request.approvedBy ? { approvedBy: request.approvedBy } : {}),
    ...(request.workflowId ? { workflowId: request.workflowId } : {}),
    ...(request.runId ? { runId: request.runId } : {}),
    ...(request.nodeId ? { nodeId: request.nodeId } : {}),
  });
  // Each pass either ends or sees a status another attempt just set; a few passes always suffice.
  for (let pass = 0; pass < 4; pass++) {
    switch (entry.status) {
      case 'sent':
        return { entry, how: 'already-sent' };
      case 'failed':
        throw new MailRefusedError(entry.lastError ?? `${entry.messageId} was refused`);
      case 'sending':
        return settleUnknown(deps, account, entry, 'an earlier attempt stopped while handing it to SMTP');
      case 'uncertain':
        return settleUnknown(deps, account, entry, entry.lastError ?? 'the outcome of an earlier hand-off is unknown');
      case 'pending': {
        const claimed = await claimForSending(deps.db, entry.id);
        if (claimed) return (await alreadyInSent(deps, account, claimed)) ?? handOff(deps, account, claimed);
        entry = (await getOutbox(deps.db, entry.id)) ?? entry;
      }
    }
  }
  throw new MailRetryableError(`outbox ${entry.id} kept changing status; trying again`);
}
