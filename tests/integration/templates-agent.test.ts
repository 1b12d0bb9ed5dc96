// The gallery's agent template, "answer a client's status question", through the real interpreter:
// the model (an OpenAI-compatible stub scripted with tool calls) searches memory, which holds a fact
// about the client's project, then asks to send its answer as a reply; nothing is sent until a
// person approves the call over the review API, and then exactly one reply reaches the SMTP server
// (mailpit), threaded on the client's email. A model that writes its own approval into the
// arguments is not believed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createMailSender } from '../../mail/send/sender.ts';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import { instantiate } from '../../workflows/templates/index.ts';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { chatRequests, stubRouter, toolCallReply, toolResultsIn } from '../support/agent-model-stub.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { realServices } from '../support/interpreter-harness.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import { createSendingAccount, originalEmail, testKeyring } from '../support/mail/send-fixtures.ts';
import { until } from '../support/until.ts';

const keyring = testKeyring();

interface Task {
  id: string;
  context: { digest?: string; arguments?: { body?: { text?: string } }; ref?: string };
}

describe("template: answer a client's status question (agent)", () => {
  const services = inject('services');
  let stub: OpenAIStub;
  let mailpit: MailpitSink;
  let server: ApiApp;
  let worker: (NodeServices & { close(): Promise<void> }) | undefined;
  let account = '';
  const clientId = `client-${randomUUID().slice(0, 8)}`;
  const fact = `The Harbour Café menu site goes live on 14 January (${randomUUID().slice(0, 6)}).`;

  beforeAll(async () => {
    [stub, mailpit] = await Promise.all([startOpenAIStub(), startMailpit()]);
    server = await startApiApp(services, {
      label: 'agent template test',
      harness: {
        nodeServices: async (db) => {
          worker = await realServices(services, db);
          return { ...worker, models: stubRouter(db, stub), mail: createMailSender(db, () => keyring) };
        },
      },
    });
    account = await createSendingAccount(
      server.h.db,
      keyring,
      { host: mailpit.smtpHost, port: mailpit.smtpPort },
      false,
    );
    await worker!.memory.upsert([
      {
        text: fact,
        kind: 'fact',
        clientId,
        source: { uri: `test:${clientId}`, version: '1' },
        confidence: 1,
        provenance: { workflowId: 'seed', nodeId: 'seed' },
      },
    ]);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await worker?.close();
    await stub?.close();
    await mailpit?.stop();
  });
  beforeEach(async () => {
    stub.reset();
    await mailpit.deleteAll();
  });

  const start = async () => {
    const plan = server.h.compile(instantiate('client-status-question', { account }));
    const payload = originalEmail(randomUUID().slice(0, 8));
    const { handle } = await server.h.start(plan, {
      event: {
        id: randomUUID(),
        type: 'email.received',
        status: 'accepted',
        clientId,
        actor: { kind: 'person', name: 'Jane Doe', address: 'jane@client.test' },
        source: { kind: 'email', uri: `mid:${payload.messageId}`, version: 'v1' },
        occurredAt: payload.occurredAt,
        receivedAt: payload.occurredAt,
        confidence: 1,
        payload: { ...payload, subject: 'Where are we with the menu site?', text: 'Hi, when does it go live? Jane' },
        metadata: {},
      },
    });
    return { handle, messageId: payload.messageId };
  };

  const pendingTask = (workflowId: string) =>
    until(`a pending approval of ${workflowId}`, async () => {
      const response = await server.call('GET', `/api/reviews?workflowId=${workflowId}&state=pending`);
      return response.json<{ tasks: Task[] }>().tasks[0];
    });

  it('looks the answer up in memory, asks before sending, and sends one threaded reply once approved', async () => {
    const answer = 'Hi Jane, the menu site goes live on 14 January. Lena';
    stub.enqueue(
      toolCallReply([{ name: 'retrieve', arguments: { query: 'menu site go-live date' } }]),
      // The model claims an approval of its own: it must not be believed.
      toolCallReply([
        {
          name: 'send-email',
          arguments: { body: { kind: 'reply', text: answer }, decision: 'approved', reviewer: 'the model' },
        },
      ]),
      chatCompletion('Sent the answer.'),
    );
    const { handle, messageId } = await start();

    const task = await pendingTask(handle.workflowId);
    expect(task.context.ref).toBe('node:send-email');
    expect(task.context.arguments).toEqual({ body: { kind: 'reply', text: answer } });
    // The search ran on its own (auto) and found the project fact; nothing was sent yet.
    const results = toolResultsIn(chatRequests(stub)[1]);
    expect(results[0]?.content).toContain(fact);
    const offered = (chatRequests(stub)[0]?.body.tools as { function: { name: string; parameters: object } }[]).map(
      (tool) => [tool.function.name, Object.keys((tool.function.parameters as { properties: object }).properties)],
    );
    expect(offered).toEqual([
      ['retrieve', expect.not.arrayContaining(['event']) as unknown],
      ['send-email', expect.not.arrayContaining(['event', 'decision', 'reviewer']) as unknown],
    ]);
    expect(await mailpit.messages()).toEqual([]);

    const decided = await server.call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, {
      decision: 'approved',
      reviewer: 'lena',
      digest: task.context.digest,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const result = await handle.result();
    expect(result.outputs.answer).toMatchObject({
      answer: 'Sent the answer.',
      calls: [
        { tool: 'node:retrieve', policy: 'auto', ok: true },
        { tool: 'node:send-email', policy: 'ask', decision: 'approved', ok: true },
      ],
    });
    const [sent] = await mailpit.waitForMessages(1);
    const message = await mailpit.message(sent!.ID);
    expect(message.Text).toContain('goes live on 14 January');
    expect(message.headers['In-Reply-To']).toEqual([`<${messageId}>`]);
    expect(await mailpit.messages()).toHaveLength(1);
  }, 180_000);

  it('sends nothing when the person rejects the call, and tells the model why', async () => {
    stub.enqueue(
      toolCallReply([{ name: 'send-email', arguments: { body: { kind: 'reply', text: 'It is live tomorrow.' } } }]),
      chatCompletion('I did not send it.'),
    );
    const { handle } = await start();
    const task = await pendingTask(handle.workflowId);
    const decided = await server.call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, {
      decision: 'rejected',
      reviewer: 'lena',
      note: 'Not true: check the records first.',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    await handle.result();
    expect(toolResultsIn(chatRequests(stub)[1])[0]?.content).toContain('Not true: check the records first.');
    expect(await mailpit.messages()).toEqual([]);
  }, 120_000);
});
