import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { composeReply } from '../../mail/compose/index.ts';
import { MailOutcomeUnknownError, MailRefusedError, MailRetryableError, sendOnce } from '../../mail/send/index.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { getOutboxByKey, resolveOutbox } from '../../store/mail-outbox.ts';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import { createSendingAccount, originalEmail, testKeyring } from '../support/mail/send-fixtures.ts';
import { startSmtpFaultProxy, type SmtpFaultProxy } from '../support/mail/smtp-fault-proxy.ts';

const { postgres } = inject('services');

// Sending exactly once against real servers: mailpit takes the mail (through a fault proxy that
// refuses or drops connections on demand), Dovecot keeps the Sent folder, PGlite the outbox.
describe('sending mail exactly once', () => {
  let db: Db;
  let dovecot: Dovecot;
  let mailpit: MailpitSink;
  let proxy: SmtpFaultProxy;
  let account: string;
  const keyring = testKeyring();
  const deps = () => ({ db, keyring });

  beforeAll(async () => {
    db = connectDb(postgres);
    [dovecot, mailpit] = await Promise.all([startDovecot(), startMailpit()]);
    proxy = await startSmtpFaultProxy({ host: mailpit.smtpHost, port: mailpit.smtpPort });
    account = await createSendingAccount(db, keyring, proxy, dovecot);
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await mailpit?.stop();
    await removeDovecot(dovecot);
    await db?.close();
  });
  beforeEach(() => mailpit.deleteAll());

  const reply = (key: string, tag: string) =>
    composeReply({
      from: { address: 'op@example.test', displayName: 'Op Studio' },
      original: originalEmail(tag),
      body: 'Here it is.\nOp',
      idempotencyKey: key,
      date: new Date(),
    });
  const send = async (key: string, tag: string) =>
    sendOnce(deps(), { accountId: account, composed: await reply(key, tag), idempotencyKey: key, approvedBy: 'op' });
  const sentCopies = async (messageId: string) =>
    (await dovecot.messages('Sent')).filter((m) => m.source.toString('latin1').includes(`Message-ID: ${messageId}`));
  const atMailpit = async (messageId: string) =>
    (await mailpit.messages()).filter((m) => `<${m.MessageID}>` === messageId);

  it('sends a threaded reply once, files it in Sent, and a second call with the key sends nothing', async () => {
    const key = `wf-${randomUUID()}/send`;
    const first = await send(key, 'a');
    expect(first.how).toBe('sent');
    expect(first.entry).toMatchObject({ status: 'sent', attempts: 1, sentFolder: 'Sent', approvedBy: 'op' });
    expect(first.entry.smtpResponse).toMatch(/^250 /);
    const [summary] = await mailpit.waitForMessages(1);
    const message = await mailpit.message(summary!.ID);
    expect(message.Subject).toBe('Re: Invoice for March a');
    expect(message.headers['In-Reply-To']).toEqual(['<q-a@client.test>']);
    expect(message.headers.References?.[0]).toBe('<start-a@client.test> <q-a@client.test>');
    expect(message.Text).toContain('On Tue, 1 Dec 2026 09:30 +0000, Jane Doe <jane@client.test> wrote:\r\n> Hi,');
    expect(message.To.map((to) => to.Address)).toEqual(['jane@client.test']);
    const [filed] = await sentCopies(first.entry.messageId);
    expect(filed?.flags).toContain('\\Seen');

    const again = await send(key, 'a');
    expect(again.how).toBe('already-sent');
    expect(again.entry.id).toBe(first.entry.id);
    expect(await atMailpit(first.entry.messageId)).toHaveLength(1);
    expect(await sentCopies(first.entry.messageId)).toHaveLength(1);
  });

  it('a temporary refusal at MAIL FROM leaves it pending; the retry sends it once', async () => {
    const key = `wf-${randomUUID()}/send`;
    proxy.queue({ kind: 'refuse-mail-from', reply: '451 4.3.0 Try again later' });
    await expect(send(key, 'b')).rejects.toThrow(MailRetryableError);
    expect(await getOutboxByKey(db, key)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await mailpit.messages()).toHaveLength(0);

    const retried = await send(key, 'b');
    expect(retried.entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await atMailpit(retried.entry.messageId)).toHaveLength(1);
  });

  it('a permanent refusal fails it for good, naming the reply, and nothing is retried', async () => {
    const key = `wf-${randomUUID()}/send`;
    proxy.queue({ kind: 'refuse-mail-from', reply: '550 5.7.1 Sender not allowed' });
    await expect(send(key, 'c')).rejects.toThrow(/550 5\.7\.1 Sender not allowed/);
    const before = proxy.connections().length;
    await expect(send(key, 'c')).rejects.toThrow(MailRefusedError);
    expect(proxy.connections()).toHaveLength(before);
    expect(await getOutboxByKey(db, key)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('a connection lost after the final "." (never delivered) is uncertain until a person says no; then sent once', async () => {
    const key = `wf-${randomUUID()}/send`;
    proxy.queue({ kind: 'drop-at-data-end', forwardDataEnd: false });
    const error = await send(key, 'd').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailOutcomeUnknownError);
    expect((error as Error).message).toMatch(
      /^waiting for a person to say whether <[0-9a-f]{32}@example\.test> arrived/,
    );
    const row = await getOutboxByKey(db, key);
    expect(row).toMatchObject({ status: 'uncertain', attempts: 1 });

    // Asking again neither sends nor settles it: nothing in Sent, nobody answered.
    const before = proxy.connections().length;
    await expect(send(key, 'd')).rejects.toThrow(MailOutcomeUnknownError);
    expect(proxy.connections()).toHaveLength(before);

    expect(await resolveOutbox(db, row!.id, false, 'op')).toMatchObject({ status: 'pending' });
    const resent = await send(key, 'd');
    expect(resent.entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await atMailpit(resent.entry.messageId)).toHaveLength(1);
    expect(await sentCopies(resent.entry.messageId)).toHaveLength(1);
  });

  it('a connection lost after the server took it is uncertain; a person says it arrived: one copy', async () => {
    const key = `wf-${randomUUID()}/send`;
    proxy.queue({ kind: 'drop-at-data-end', forwardDataEnd: true });
    await expect(send(key, 'e')).rejects.toThrow(MailOutcomeUnknownError);
    const row = await getOutboxByKey(db, key);
    expect(await atMailpit(row!.messageId)).toHaveLength(1);
    expect(await resolveOutbox(db, row!.id, true, 'op')).toMatchObject({ status: 'sent' });
    expect((await send(key, 'e')).how).toBe('already-sent');
    expect(await atMailpit(row!.messageId)).toHaveLength(1);
  });

  it('after a crash between the 250 and the outbox update, the next attempt finds it in Sent', async () => {
    const key = `wf-${randomUUID()}/send`;
    const first = await send(key, 'f');
    // What a process killed right after the 250 and the Sent APPEND leaves behind.
    await db.query(`update mail_outbox set status = 'sending', sent_at = null where id = $1`, [first.entry.id]);
    const next = await send(key, 'f');
    expect(next.how).toBe('found-in-sent');
    expect(next.entry.status).toBe('sent');
    expect(await atMailpit(first.entry.messageId)).toHaveLength(1);
  });

  it('before a resend the Sent folder has the last word: a copy there is never sent again', async () => {
    const key = `wf-${randomUUID()}/send`;
    const first = await send(key, 'h');
    // A person said "it did not arrive" (wrongly): the row is pending again, but its copy is in Sent.
    await db.query(`update mail_outbox set status = 'pending' where id = $1`, [first.entry.id]);
    const next = await send(key, 'h');
    expect(next.how).toBe('found-in-sent');
    expect(next.entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await atMailpit(first.entry.messageId)).toHaveLength(1);
  });

  it('without a Sent folder to look in, an interrupted attempt is uncertain, never resent', async () => {
    const noImap = await createSendingAccount(db, keyring, proxy, false);
    const key = `wf-${randomUUID()}/send`;
    const composed = await reply(key, 'g');
    const first = await sendOnce(deps(), { accountId: noImap, composed, idempotencyKey: key });
    await db.query(`update mail_outbox set status = 'sending' where id = $1`, [first.entry.id]);
    await expect(sendOnce(deps(), { accountId: noImap, composed, idempotencyKey: key })).rejects.toThrow(
      /no IMAP to check its Sent folder/,
    );
    expect(await getOutboxByKey(db, key)).toMatchObject({ status: 'uncertain' });
    expect(await atMailpit(first.entry.messageId)).toHaveLength(1);
  });
});
