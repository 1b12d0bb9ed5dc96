// What the sending tests share: a keyring, an account on real Dovecot (IMAP, Sent) and an SMTP
// server (mailpit, or the fault proxy in front of it), and the email being answered.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Keyring } from '../../../security/keyring.ts';
import type { Db } from '../../../store/db.ts';
import { createMailAccount } from '../../../store/mail-accounts.ts';
import { graph } from '../graph-builder.ts';
import type { Dovecot } from './dovecot.ts';

export const testKeyring = (): Keyring => ({ current: 'k1', keys: new Map([['k1', randomBytes(32)]]) });

/** An account sending through `smtp`, filing in Dovecot's Sent unless `imap` is false; returns its id. */
export async function createSendingAccount(
  db: Db,
  keyring: Keyring,
  smtp: { host: string; port: number },
  dovecot: Dovecot | false,
): Promise<string> {
  const id = `send-${randomUUID().slice(0, 8)}`;
  await createMailAccount(db, keyring, {
    id,
    displayName: 'Op Studio',
    address: 'op@example.test',
    smtp: { host: smtp.host, port: smtp.port, security: 'none', user: 'op', password: 'smtp-secret' },
    ...(dovecot
      ? {
          imap: {
            host: dovecot.host,
            port: dovecot.port,
            security: 'none' as const,
            user: dovecot.user,
            password: dovecot.password,
          },
        }
      : {}),
  });
  return id;
}

/** An email as ingest makes its payload (nodes/ingest/parse/email.ts). */
export function originalEmail(tag: string) {
  return {
    subject: `Invoice for March ${tag}`,
    text: 'Hi,\nCould you send the invoice for March?\n\nThanks,\nJane',
    from: [{ name: 'Jane Doe', address: 'jane@client.test' }],
    replyTo: [],
    messageId: `q-${tag}@client.test`,
    references: [`start-${tag}@client.test`],
    occurredAt: '2026-12-01T09:30:00.000Z',
  };
}

/** A workflow that sends the reply a person approved in review, from the account, threaded on the event. */
export function reviewedReplyGraph(account: string, instructions: string) {
  return graph(
    'reply',
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['review', 'human-review', { instructions, timeoutMinutes: 60, onTimeout: 'reject' }],
      ['send', 'send-email', { account, mode: 'reply' }],
    ],
    [
      'start.data -> review.value',
      'start.event -> send.event',
      'review.value -> send.body',
      'review.decision -> send.decision',
      'review.reviewer -> send.reviewer',
    ],
  );
}
