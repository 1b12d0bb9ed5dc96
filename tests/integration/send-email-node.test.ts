import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createMailSender } from '../../mail/send/sender.ts';
import { invoiceNode } from '../../nodes/invoice/index.ts';
import type { InvoiceOutput } from '../../nodes/invoice/definition.ts';
import type { NodeContext, NodeServices } from '../../nodes/sdk/context.ts';
import { sendEmailNode } from '../../nodes/send-email/index.ts';
import type { SendEmailOutput } from '../../nodes/send-email/definition.ts';
import { decide, runStatus } from '../../temporal/runs.ts';
import { dbOnlyServices, startHarness, type Harness } from '../support/interpreter-harness.ts';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import { createSendingAccount, originalEmail, reviewedReplyGraph, testKeyring } from '../support/mail/send-fixtures.ts';

// The send-email node: through the interpreter after a real human review, and called directly
// for the policies (approval, autoSend, auto-replies) and the invoice attachment.
const keyring = testKeyring();

function emailEvent(tag: string, extra: Record<string, unknown> = {}) {
  const payload = originalEmail(tag);
  return {
    id: randomUUID(),
    type: 'email.received',
    status: 'accepted',
    actor: { kind: 'person', name: 'Jane Doe', address: 'jane@client.test' },
    source: { kind: 'email', uri: `mid:${payload.messageId}`, version: 'v1' },
    occurredAt: payload.occurredAt,
    receivedAt: payload.occurredAt,
    confidence: 1,
    payload: { ...payload, ...extra },
    metadata: {},
  };
}

describe('send-email node', () => {
  let h: Harness;
  let dovecot: Dovecot;
  let mailpit: MailpitSink;
  let account: string;
  let services: NodeServices;

  beforeAll(async () => {
    [dovecot, mailpit] = await Promise.all([startDovecot(), startMailpit()]);
    h = await startHarness(inject('services'), {
      nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), mail: createMailSender(db, () => keyring) }),
    });
    services = { ...dbOnlyServices(h.db), mail: createMailSender(h.db, () => keyring) };
    account = await createSendingAccount(h.db, keyring, { host: mailpit.smtpHost, port: mailpit.smtpPort }, dovecot);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await mailpit?.stop();
    await removeDovecot(dovecot);
  });
  beforeEach(() => mailpit.deleteAll());

  const context = (idempotencyKey: string): NodeContext => ({
    workflowId: 'wf-direct',
    runId: 'run-direct',
    nodeId: 'send',
    attempt: 1,
    idempotencyKey,
    services,
    signal: new AbortController().signal,
    heartbeat: () => {},
    log: () => {},
  });
  const runNode = async (input: object, config: object, key = `k-${randomUUID()}`) => {
    const outcome = await sendEmailNode.run!(input, config, context(key));
    if (!('output' in outcome)) throw new Error('send-email asked a person');
    return { output: outcome.output as SendEmailOutput, notes: outcome.meta?.notes ?? [] };
  };

  it('sends exactly one threaded reply after a person approves it in review', async () => {
    const plan = h.compile(reviewedReplyGraph(account, 'Check the reply'));
    const { handle } = await h.start(plan, {
      event: emailEvent('n1'),
      data: { kind: 'reply', text: 'Hi Jane,\nthe invoice follows today.\nOp' },
    });
    let taskId = '';
    for (const deadline = Date.now() + 20_000; !taskId && Date.now() < deadline;) {
      taskId = (await runStatus(h.client, handle.workflowId).catch(() => undefined))?.waitingTasks[0] ?? '';
      if (!taskId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(taskId, 'the review task never appeared').not.toBe('');
    await decide(h.client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' });
    const result = await handle.result();
    expect(result.outputs.send).toMatchObject({ approvedBy: 'ana', how: 'sent', to: ['jane@client.test'] });
    const messageId = (result.outputs.send as SendEmailOutput).messageId;

    const [summary] = await mailpit.waitForMessages(1);
    const message = await mailpit.message(summary!.ID);
    expect(`<${message.MessageID}>`).toBe(messageId);
    expect(message.Subject).toBe('Re: Invoice for March n1');
    expect(message.headers['In-Reply-To']).toEqual(['<q-n1@client.test>']);
    expect(message.headers.References).toEqual(['<start-n1@client.test> <q-n1@client.test>']);
    expect(message.Text).toContain('the invoice follows today.');
    expect(message.Text).toContain('Jane Doe <jane@client.test> wrote:\r\n> Hi,');
    const filed = (await dovecot.messages('Sent')).filter((m) => m.source.toString().includes(messageId));
    expect(filed).toHaveLength(1);
    expect(await mailpit.messages()).toHaveLength(1);
  });

  it('a retry with the same key returns the same outbox message and sends nothing more', async () => {
    const key = `k-${randomUUID()}`;
    const input = { event: emailEvent('n2'), body: 'Thanks!', decision: 'edited', reviewer: 'ana' };
    const first = await runNode(input, { account, mode: 'reply' }, key);
    const second = await runNode(input, { account, mode: 'reply' }, key);
    expect(second.output).toMatchObject({ outboxId: first.output.outboxId, how: 'already-sent' });
    expect(await mailpit.waitForMessages(1)).toHaveLength(1);
  });

  it('refuses without an approval, after a rejection, and never auto-answers an auto-reply', async () => {
    const config = { account, mode: 'reply' };
    await expect(runNode({ event: emailEvent('n3'), body: 'x' }, config)).rejects.toThrow(
      /no approved review decision in the input, and autoSend is not configured/,
    );
    await expect(runNode({ event: emailEvent('n3'), body: 'x', decision: 'rejected' }, config)).rejects.toThrow(
      /review decision is "rejected"/,
    );
    const auto = { ...config, autoSend: { minConfidence: 0.8, maxPerDay: 5 } };
    await expect(
      runNode({ event: emailEvent('n3', { automated: 'auto-replied' }), body: 'x', confidence: 0.99 }, auto),
    ).rejects.toThrow(/auto-reply or a bounce/);
    await expect(runNode({ event: emailEvent('n3'), body: 'x', confidence: 0.5 }, auto)).rejects.toThrow(
      /confidence 0.5 is below autoSend's 0.8/,
    );
    expect(await mailpit.messages()).toHaveLength(0);
  });

  it('autoSend sends a confident reply itself, up to its daily cap, and says so in the notes', async () => {
    const cappedAccount = await createSendingAccount(
      h.db,
      keyring,
      { host: mailpit.smtpHost, port: mailpit.smtpPort },
      dovecot,
    );
    const config = { account: cappedAccount, mode: 'reply', autoSend: { minConfidence: 0.8, maxPerDay: 1 } };
    const sent = await runNode({ event: emailEvent('n4'), body: 'On it.', confidence: 0.9 }, config);
    expect(sent.output.approvedBy).toBe('auto');
    expect(sent.notes[0]).toMatch(/sent without review: confidence 0.9 ≥ 0.8, 1 of 1 today/);
    await expect(runNode({ event: emailEvent('n5'), body: 'On it.', confidence: 0.9 }, config)).rejects.toThrow(
      /1 messages today are used up/,
    );
    expect(await mailpit.waitForMessages(1)).toHaveLength(1);
  });

  it('attaches the invoice PDF from the store', async () => {
    const clientId = (
      await h.db.query<{ id: string }>(`insert into clients (name, emails) values ('Jane Co', $1) returning id`, [
        ['jane@client.test'],
      ])
    ).rows[0]!.id;
    const invoiceKey = `inv-${randomUUID()}`;
    const issued = await invoiceNode.run!(
      { billing: { clientId, items: [{ kind: 'fixed', description: 'Design', amountMinor: 50_000 }] } },
      {
        currency: 'EUR',
        seriesPrefix: `M${randomUUID()
          .slice(0, 4)
          .toUpperCase()
          .replace(/[^A-Z]/g, 'X')}`,
        seller: { name: 'Op Studio' },
      },
      { ...context(invoiceKey) },
    );
    if (!('output' in issued)) throw new Error('the invoice node asked a person');
    const invoice = issued.output as InvoiceOutput;
    const { output } = await runNode(
      { body: 'Please find the invoice attached.', invoice, decision: 'approved', reviewer: 'ana' },
      {
        account,
        mode: 'new',
        to: '{{clientEmail}}',
        subject: 'Invoice {{invoiceNumber}} ({{total}})',
        attachInvoice: true,
      },
    );
    expect(output.subject).toBe(`Invoice ${invoice.invoice.number} (${invoice.totalText})`);
    const [summary] = await mailpit.waitForMessages(1);
    const [pdf] = await mailpit.attachments(summary!.ID);
    expect(pdf).toMatchObject({ FileName: `${invoice.invoice.number}.pdf`, ContentType: 'application/pdf' });
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(summary!.To.map((to) => to.Address)).toEqual(['jane@client.test']);
  });
});
