import type { FastifyInstance, InjectOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailSender } from '../../mail/send/sender.ts';
import type { SendEmailOutput } from '../../nodes/send-email/definition.ts';
import type { OutboxEntry } from '../../store/mail-outbox.ts';
import { createToken } from '../../store/tokens.ts';
import { decide, runStatus } from '../../temporal/runs.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { dbOnlyServices, type Harness } from '../support/interpreter-harness.ts';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import { createSendingAccount, originalEmail, reviewedReplyGraph, testKeyring } from '../support/mail/send-fixtures.ts';
import { startSmtpFaultProxy, type SmtpFaultProxy } from '../support/mail/smtp-fault-proxy.ts';

// A run whose send lost its connection right after the final "." waits, retrying, until a person
// says over the API that the message did not arrive; the next retry then sends it: one copy.
describe('the outbox API and a run waiting for a person', () => {
  const services = inject('services');
  const keyring = testKeyring();
  let server: ApiApp | undefined;
  let h: Harness;
  let app: FastifyInstance;
  let dovecot: Dovecot;
  let mailpit: MailpitSink;
  let proxy: SmtpFaultProxy;
  let account: string;
  let actToken: string;
  let readToken = '';

  const call = async <T>(token: string, options: InjectOptions) => {
    const reply = await app.inject({ ...options, headers: { authorization: `Bearer ${token}` } });
    return { status: reply.statusCode, body: reply.json<T & { errors?: { pointer: string }[] }>() };
  };

  beforeAll(async () => {
    [dovecot, mailpit] = await Promise.all([startDovecot(), startMailpit()]);
    proxy = await startSmtpFaultProxy({ host: mailpit.smtpHost, port: mailpit.smtpPort });
    server = await startApiApp(services, {
      label: 'outbox act',
      harness: {
        nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), mail: createMailSender(db, () => keyring) }),
      },
      parts: () => ({ keyring }),
      scopes: ['act'],
    });
    ({ h, app, token: actToken } = server);
    account = await createSendingAccount(h.db, keyring, proxy, dovecot);
    readToken = (await createToken(h.db, 'outbox read', ['read'])).plaintext;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
    await mailpit?.stop();
    await removeDovecot(dovecot);
  });

  it('an uncertain send waits for POST /resolve { sent: false }, then goes out exactly once', async () => {
    const plan = h.compile(reviewedReplyGraph(account, 'Check'));
    const payload = originalEmail('api');
    const event = {
      id: randomUUID(),
      type: 'email.received',
      status: 'accepted',
      actor: { kind: 'person', name: 'Jane Doe', address: 'jane@client.test' },
      source: { kind: 'email', uri: `mid:${payload.messageId}`, version: 'v1' },
      occurredAt: payload.occurredAt,
      receivedAt: payload.occurredAt,
      confidence: 1,
      payload,
      metadata: {},
    };
    proxy.queue({ kind: 'drop-at-data-end', forwardDataEnd: false });
    const { handle } = await h.start(plan, { event, data: { kind: 'reply', text: 'Here it is.' } });
    let taskId = '';
    for (const deadline = Date.now() + 20_000; !taskId && Date.now() < deadline;) {
      taskId = (await runStatus(h.client, handle.workflowId).catch(() => undefined))?.waitingTasks[0] ?? '';
      if (!taskId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(taskId, 'the review task never appeared').not.toBe('');
    await decide(h.client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' });

    let uncertain: OutboxEntry | undefined;
    const deadline = Date.now() + 20_000;
    while (!uncertain && Date.now() < deadline) {
      const listed = await call<{ messages: OutboxEntry[] }>(readToken, {
        method: 'GET',
        url: '/api/mail/outbox?status=uncertain',
      });
      expect(listed.status).toBe(200);
      uncertain = listed.body.messages.find((m) => m.workflowId === handle.workflowId);
      if (!uncertain) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(uncertain, 'the send never became uncertain').toBeDefined();
    expect(uncertain).not.toHaveProperty('raw');
    expect(await mailpit.messages()).toHaveLength(0);

    const resolveUrl = `/api/mail/outbox/${uncertain!.id}/resolve`;
    expect((await call(readToken, { method: 'POST', url: resolveUrl, payload: { sent: false } })).status).toBe(403);
    const badBody = await call(actToken, { method: 'POST', url: resolveUrl, payload: { sent: 'no' } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors?.[0]?.pointer).toMatch(/sent/);
    const missing = await call(actToken, {
      method: 'POST',
      url: '/api/mail/outbox/nope/resolve',
      payload: { sent: true },
    });
    expect(missing.status).toBe(404);
    const resolved = await call<{ message: OutboxEntry }>(actToken, {
      method: 'POST',
      url: resolveUrl,
      payload: { sent: false },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.message.status).toBe('pending');

    const result = await handle.result();
    expect(result.outputs.send).toMatchObject({
      how: 'sent',
      outboxId: uncertain!.id,
    } satisfies Partial<SendEmailOutput>);
    const [summary] = await mailpit.waitForMessages(1);
    expect(`<${summary!.MessageID}>`).toBe(uncertain!.messageId);
    expect(await mailpit.messages()).toHaveLength(1);
    const again = await call(actToken, { method: 'POST', url: resolveUrl, payload: { sent: true } });
    expect(again.status).toBe(409);
    const shown = await call<{ message: OutboxEntry }>(readToken, {
      method: 'GET',
      url: `/api/mail/outbox/${uncertain!.id}`,
    });
    expect(shown.body.message).toMatchObject({ status: 'sent', attempts: 2, sentFolder: 'Sent' });
  }, 90_000);
});
