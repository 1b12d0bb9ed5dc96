// What the intake tests share: the API app over the test services (its ingest path is what the
// intake delivers through), a private Dovecot, mail accounts on it, a counting workflow wired to
// an account, MailIntake instances with short timings, and bounded waits that say what they saw.
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ImapSettings } from '../../../schemas/mail-account.ts';
import { mailIntakeOf, type MailIntake, type MailIntakeOptions } from '../../../server/lib/mail-intake.ts';
import { publishWorkflow } from '../../../server/lib/publish.ts';
import { createMailAccount } from '../../../store/mail-accounts.ts';
import { createWorkflow } from '../../../store/workflows.ts';
import type { TestServices } from '../../setup/test-stack.ts';
import { graph } from '../graph-builder.ts';
import { startApiApp } from '../api-app.ts';
import type { Harness } from '../interpreter-harness.ts';
import { removeDovecot, startDovecot, type Dovecot } from './dovecot.ts';

export interface IntakeStack {
  h: Harness;
  app: FastifyInstance;
  dovecot: Dovecot;
  /** A new account on the Dovecot user (unique id); `imap` overrides its settings. */
  account(prefix: string, imap?: Partial<ImapSettings & { password: string }>): Promise<string>;
  /** A published workflow wired to the account that echoes its event (outputs.echo.value.value). */
  wire(accountId: string): Promise<string>;
  /** A started MailIntake with test timings; stopped by close(). */
  intake(options?: Partial<MailIntakeOptions>): Promise<MailIntake>;
  /** Stops every intake started so far (a test that counts listeners starts from none). */
  stopIntakes(): Promise<void>;
  close(): Promise<void>;
}

/** Timings that make a test's reconnects and lease take-overs take seconds, not minutes. */
export const fastListener = {
  leaseMs: 6_000,
  pollMs: 1_000,
  watchdogMs: 1_500,
  noopDeadlineMs: 3_000,
  backoff: { baseMs: 100, capMs: 1_000, authBaseMs: 60_000, authCapMs: 15 * 60_000 },
};

export async function startIntakeStack(
  services: TestServices,
  options: { maxConnections?: number; worker?: boolean } = {},
): Promise<IntakeStack> {
  const started = await startApiApp(services, {
    label: 'mail intake test',
    harness: { worker: options.worker ?? true },
  });
  const { h, app } = started;
  const dovecot = await startDovecot({ maxConnections: options.maxConnections ?? 20 });
  const intakes: MailIntake[] = [];
  return {
    h,
    app,
    dovecot,
    async account(prefix, imap = {}) {
      const id = `${prefix}-${randomUUID().slice(0, 8)}`;
      const created = await createMailAccount(h.db, app.services.keyring, {
        id,
        address: dovecot.user,
        imap: {
          host: dovecot.host,
          port: dovecot.port,
          security: 'none',
          user: dovecot.user,
          password: dovecot.password,
          ...imap,
        },
      });
      if (!created) throw new Error(`account ${id} exists`);
      return id;
    },
    async wire(accountId) {
      const workflow = await createWorkflow(h.db, {
        name: `On mail to ${accountId}`,
        graph: graph(
          `On mail to ${accountId}`,
          [
            ['start', 'trigger', { kind: 'email', source: accountId }],
            ['echo', 'test.echo', { tag: 'mail' }],
          ],
          ['start.event -> echo.value'],
        ),
      });
      await publishWorkflow(h.db, () => Promise.resolve(h.client), h.registry, {
        workflowId: workflow.id,
        publishedBy: 'test',
        taskQueue: h.taskQueue,
      });
      return workflow.id;
    },
    async intake(overrides = {}) {
      const intake = mailIntakeOf(app, { refreshMs: 500, listener: fastListener, log: () => {}, ...overrides });
      intakes.push(intake);
      await intake.start();
      return intake;
    },
    async stopIntakes() {
      await Promise.all(intakes.splice(0).map((intake) => intake.stop()));
    },
    async close() {
      await Promise.all(intakes.map((intake) => intake.stop()));
      await started.close();
      await removeDovecot(dovecot);
    },
  };
}

/** Polls `check` until it answers a value for which `done` holds; fails with the last value seen. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await check();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await check();
  }
  return last;
}

/** A plain message with a unique Message-ID. */
export function mail(subject: string, options: { id?: string; headers?: string[]; body?: string } = {}): string {
  const id = options.id ?? `${randomUUID()}@client.test`;
  return [
    'From: Ada Client <ada@client.test>',
    'To: op@example.test',
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    `Date: ${new Date().toUTCString()}`,
    ...(options.headers ?? []),
    '',
    options.body ?? `Body of ${subject}`,
    '',
  ].join('\r\n');
}

export interface StoredMail {
  id: string;
  subject: string;
  idempotencyKey: string;
}

/** The events stored under the account's source, oldest first. */
export async function eventsOf(h: Harness, accountId: string): Promise<StoredMail[]> {
  const { rows } = await h.db.query<{ id: string; subject: string; idempotency_key: string }>(
    `select id, payload->>'subject' as subject, idempotency_key from events where source_name = $1 order by received_at, id`,
    [accountId],
  );
  return rows.map((row) => ({ id: row.id, subject: row.subject, idempotencyKey: row.idempotency_key }));
}

/** The folder's checkpoint row, once the listener has taken it (uid_validity set). */
export async function folderState(h: Harness, accountId: string, folder = 'INBOX') {
  const { rows } = await h.db.query<{ uid_validity: string | null; last_uid: string; lease_owner: string | null }>(
    'select uid_validity, last_uid, lease_owner from mail_folder_state where account_id = $1 and folder = $2',
    [accountId, folder],
  );
  return rows[0];
}

/** Waits until a listener holds the folder and has settled its checkpoint: mail appended after this is new mail. */
export function listening(h: Harness, accountId: string, folder = 'INBOX') {
  return waitFor(
    `the listener of ${accountId}/${folder} to settle its checkpoint`,
    () => folderState(h, accountId, folder),
    (row) => Boolean(row?.uid_validity && row.lease_owner),
  );
}

/** The idempotency key of the event a finished run of `wire`'s workflow was started with. */
export function keyOfRun(result: { outputs: Record<string, unknown> }): string {
  return (result.outputs.echo as { value: { value: { idempotencyKey: string } } }).value.value.idempotencyKey;
}
