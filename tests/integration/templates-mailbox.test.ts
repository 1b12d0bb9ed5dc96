import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailSender } from '../../mail/send/sender.ts';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import { attachMailIntake } from '../../server/lib/mail-intake.ts';
import { createClient } from '../../store/clients.ts';
import { listInvoices } from '../../store/invoices.ts';
import { createMailAccount } from '../../store/mail-accounts.ts';
import { appendProjectRecord } from '../../store/project-records.ts';
import { createProject } from '../../store/projects.ts';
import type { StoredWorkflow } from '../../store/workflows.ts';
import { realServices } from '../support/interpreter-harness.ts';
import { eventsOf, listening, startIntakeStack, waitFor, type IntakeStack } from '../support/mail/intake-stack.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import {
  answerOverApi,
  confirmExtraction,
  operatorApi,
  resultOf,
  runsOf,
  waitForRuns,
  type ApiCall,
} from '../support/mail/template-mailbox.ts';

// The gallery's mail templates against a real mailbox: Dovecot for IMAP (intake and Sent), mailpit
// for SMTP. A person decides over the API, as the review queue does.
describe('templates with a real mailbox', () => {
  const services = inject('services');
  let stack: IntakeStack;
  let mailpit: MailpitSink;
  let worker: (NodeServices & { close(): Promise<void> }) | undefined;
  let call: ApiCall;
  const account = `studio-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    mailpit = await startMailpit();
    stack = await startIntakeStack(services, {
      nodeServices: async (db, keyring) => {
        worker = await realServices(services, db);
        return { ...worker, mail: createMailSender(db, keyring) };
      },
    });
    await createMailAccount(stack.h.db, stack.app.services.keyring, {
      id: account,
      displayName: 'Lena at Park Studio',
      address: 'lena@parkstudio.test',
      imap: {
        host: stack.dovecot.host,
        port: stack.dovecot.port,
        security: 'none',
        user: stack.dovecot.user,
        password: stack.dovecot.password,
      },
      smtp: { host: mailpit.smtpHost, port: mailpit.smtpPort, security: 'none' },
    });
    call = await operatorApi(stack.app, stack.h);
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await worker?.close();
    await mailpit?.stop();
  });

  /** Creates a workflow from a template over the API and publishes it. */
  async function useTemplate(id: string, parameters: Record<string, unknown>): Promise<string> {
    const { workflow } = await call<{ workflow: StoredWorkflow }>('POST', `/api/templates/${id}/use`, { parameters });
    await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    return workflow.id;
  }

  describe('client email triage', () => {
    let workflowId = '';
    beforeAll(async () => {
      workflowId = await useTemplate('client-email-triage', { account });
      attachMailIntake(stack.app, await stack.intake());
      await listening(stack.h, account);
    }, 120_000);

    function clientMail(tag: string) {
      const messageId = `${tag}-${randomUUID()}@bakery.test`;
      const raw = [
        'From: Ines Duarte <ines@bakery.test>',
        'To: Lena <lena@parkstudio.test>',
        `Subject: Menu page ${tag}`,
        `Message-ID: <${messageId}>`,
        `Date: ${new Date().toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hi Lena,',
        'could you send the revised menu page by Thursday? The photo shoot stays on March 12.',
        'Ines',
        '',
      ].join('\r\n');
      return { raw, messageId };
    }

    /** Appends a client mail and answers its run's tasks; the review's answer is the test's. */
    async function triage(tag: string, review: () => { decision: 'edited' | 'rejected'; value?: unknown }) {
      const before = await runsOf(stack.h, workflowId);
      const { raw, messageId } = clientMail(tag);
      await stack.dovecot.append(raw);
      const runs = await waitForRuns(stack.h, workflowId, before.length + 1);
      const runId = runs.find((id) => !before.includes(id))!;
      const tasks = await answerOverApi(
        call,
        runId,
        {
          actions: confirmExtraction,
          draft: () => ({
            decision: 'edited',
            value: { draft: { kind: 'reply', text: 'Hi Ines, Thursday works. Lena' } },
          }),
          review,
        },
        'review',
      );
      return { runId, messageId, tasks, result: await resultOf(stack.h, runId) };
    }

    it(
      'takes the mail, starts one run, and sends exactly the edited reply, threaded and filed in Sent',
      { timeout: 240_000 },
      async () => {
        const approved =
          'Hi Ines,\n\nthe revised menu page will be with you on Thursday; the shoot stays on March 12.\n\nLena';
        const { runId, messageId, result } = await triage('approve', () => ({
          decision: 'edited',
          value: { kind: 'reply', text: approved },
        }));
        expect(await runsOf(stack.h, workflowId)).toEqual([runId]);
        expect((await eventsOf(stack.h, account)).map((e) => e.subject)).toEqual(['Menu page approve']);
        expect(result.status).toBe('completed');
        expect(result.outputs.send).toMatchObject({ how: 'sent', approvedBy: 'lena', to: ['ines@bakery.test'] });

        const [summary] = await mailpit.waitForMessages(1, 30_000);
        const sent = await mailpit.message(summary!.ID);
        expect(sent.To.map((to) => to.Address)).toEqual(['ines@bakery.test']);
        expect(sent.From).toMatchObject({ Address: 'lena@parkstudio.test', Name: 'Lena at Park Studio' });
        expect(sent.Subject).toBe('Re: Menu page approve');
        expect(sent.headers['In-Reply-To']).toEqual([`<${messageId}>`]);
        expect(sent.Text.replace(/\r\n/g, '\n')).toContain(approved);
        // The draft the person replaced is not what went out.
        expect(sent.Text).not.toContain('Thursday works');
        const sentId = (result.outputs.send as { messageId: string }).messageId;
        const filed = await waitFor(
          'the reply in the Sent folder',
          async () => (await stack.dovecot.messages('Sent')).map((m) => m.source.toString('utf8')),
          (sources) => sources.length >= 1,
        );
        expect(filed).toHaveLength(1);
        expect(filed[0]).toContain(sentId.replace(/^<|>$/g, ''));
        // Nothing more goes out later.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        expect(await mailpit.messages()).toHaveLength(1);
      },
    );

    it('sends nothing when the person rejects the reply', { timeout: 240_000 }, async () => {
      const { runId, result } = await triage('reject', () => ({ decision: 'rejected' }));
      expect(result.status).toBe('completed');
      const send = result.nodes.find((node) => node.id === 'send');
      expect(send).toMatchObject({ status: 'skipped' });
      expect(result.outputs.send).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await mailpit.messages()).map((m) => m.Subject)).toEqual(['Re: Menu page approve']);
      expect(await stack.dovecot.messages('Sent')).toHaveLength(1);
      const { rows } = await stack.h.db.query('select workflow_id from mail_outbox where workflow_id = $1', [runId]);
      expect(rows).toEqual([]);
    });
  });

  it('invoice for approved work: the approved invoice PDF goes to the client once', { timeout: 240_000 }, async () => {
    await mailpit.deleteAll();
    const tag = randomUUID().slice(0, 6);
    const client = await createClient(stack.h.db, { name: `Harbor ${tag}`, emails: [`ap@harbor-${tag}.test`] });
    const project = await createProject(stack.h.db, { clientId: client.id, name: 'Website', status: 'active' });
    await appendProjectRecord(stack.h.db, {
      projectId: project.id,
      kind: 'time-entry',
      title: 'Design',
      body: { content: { description: 'Homepage design', hours: 5, rateMinor: 9000 } },
      idempotencyKey: `seed-${tag}`,
      runId: 'seed',
      nodeId: 'seed',
    });
    const workflowId = await useTemplate('invoice-approved-work', {
      account,
      seller: { name: 'Park Studio', email: 'lena@parkstudio.test' },
      seriesPrefix: `M${tag.replace(/[^a-z0-9]/gi, '').toUpperCase()}`,
    });
    const bill = async () => {
      const before = await runsOf(stack.h, workflowId);
      await call('POST', `/api/workflows/${workflowId}/runs`, { input: { data: { projectId: project.id } } });
      const after = await waitForRuns(stack.h, workflowId, before.length + 1);
      return after.find((id) => !before.includes(id))!;
    };

    const runId = await bill();
    await answerOverApi(call, runId, { review: () => ({ decision: 'approved' }) }, 'review');
    const result = await resultOf(stack.h, runId);
    expect(result.status).toBe('completed');
    const [invoice] = await listInvoices(stack.h.db, { projectId: project.id });
    expect(invoice?.status).toBe('issued');

    const [summary] = await mailpit.waitForMessages(1, 30_000);
    const sent = await mailpit.message(summary!.ID);
    expect(sent.To.map((to) => to.Address)).toEqual([`ap@harbor-${tag}.test`]);
    expect(sent.Subject).toBe(`Invoice ${invoice!.number} (€450.00)`);
    expect(sent.Text).toContain(`please find invoice ${invoice!.number} attached, due ${invoice!.dueDate}`);
    expect(sent.headers['In-Reply-To']).toBeUndefined();
    const [pdf] = await mailpit.attachments(summary!.ID);
    expect(pdf).toMatchObject({ FileName: `${invoice!.number}.pdf`, ContentType: 'application/pdf' });
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');

    const outbox = await stack.h.db.query('select status from mail_outbox where workflow_id = $1', [runId]);
    expect(outbox.rows).toEqual([{ status: 'sent' }]);

    // Billed once: the next run finds nothing to bill and sends nothing.
    const again = await resultOf(stack.h, await bill());
    expect(again.nodes.find((node) => node.id === 'send')).toMatchObject({ status: 'skipped' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await mailpit.messages()).toHaveLength(1);
  });
});
