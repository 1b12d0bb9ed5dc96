import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FolderListener, type ListenerOptions, type ListenerStatus } from '../../mail/intake/folder-listener.ts';
import { cachingResolver } from '../../mail/dns-cache.ts';
import type { MessageSink } from '../../mail/intake/catch-up.ts';
import { folderStatuses, type FolderStatus } from '../../mail/intake/folder-store.ts';
import type { ImapSettings, MailConnectionState } from '../../schemas/mail-account.ts';
import type { Keyring } from '../../security/keyring.ts';
import type { Db } from '../../store/db.ts';
import { getEvent } from '../../store/events.ts';
import { dispatchContextOf, dispatchEvent } from './event-routing.ts';
import { SourceCache, storeDelivery, type IngestContext } from './ingest.ts';
import { mailAccountSource } from './mail-source.ts';

// The server's side of the intake: one FolderListener per (account, folder) of every account with
// IMAP settings, kept in step with the accounts table (re-read every few seconds and on demand),
// storing each message through the same ingest path as an HTTP delivery, under a source named
// after the account, and routing it behind (mail/intake/routing-pump.ts) as an HTTP delivery is. Started by the product's server start only, never by every buildApp: tests
// build many apps on one database, and each would otherwise listen to every mailbox.

export interface MailIntakeOptions {
  db: Db;
  keyring: Keyring;
  sink: MessageSink;
  /** How often the accounts are re-read (default 5 s). */
  refreshMs?: number;
  listener?: Partial<ListenerOptions>;
  log?: (line: string) => void;
}

interface Running {
  listener: FolderListener;
  /** The settings it was started with: a change restarts it. */
  fingerprint: string;
}

export interface FolderIntakeStatus extends FolderStatus {
  /** This process's listener, when it runs one for the folder. */
  listener?: ListenerStatus;
}

export interface AccountIntakeStatus {
  accountId: string;
  imapState: MailConnectionState;
  imapError?: string;
  folders: FolderIntakeStatus[];
}

export class MailIntake {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #options: MailIntakeOptions;
  readonly #running = new Map<string, Running>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: MailIntakeOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh().catch(() => {}), this.#options.refreshMs ?? 5_000);
    this.#timer.unref();
  }

  /** Re-reads the accounts now: starts listeners for new folders, restarts changed ones, stops removed ones. */
  refresh(): Promise<void> {
    this.#refreshing = this.#refreshing
      .then(() => this.#refresh())
      .catch((error: unknown) => {
        this.#options.log?.(`mail intake: reading the accounts failed: ${String(error)}`);
      });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    const { rows } = await this.#options.db.query<{ id: string; imap: ImapSettings; updated_at: Date }>(
      'select id, imap, updated_at from mail_accounts where imap is not null',
    );
    const wanted = new Map<string, { accountId: string; folder: string; fingerprint: string }>();
    for (const row of rows) {
      const fingerprint = `${row.updated_at.toISOString()}:${JSON.stringify(row.imap)}`;
      for (const folder of row.imap.folders ?? ['INBOX'])
        wanted.set(`${row.id}\0${folder}`, { accountId: row.id, folder, fingerprint });
    }
    const stopping: Promise<void>[] = [];
    for (const [key, running] of this.#running) {
      if (wanted.get(key)?.fingerprint === running.fingerprint) continue;
      this.#running.delete(key);
      stopping.push(running.listener.stop());
    }
    // A restarted listener opens its connection only after the old one closed (one per folder).
    await Promise.all(stopping);
    if (this.#stopped) return;
    for (const [key, { accountId, folder, fingerprint }] of wanted) {
      if (this.#running.has(key)) continue;
      const listener = new FolderListener(
        this.#options.db,
        this.#options.keyring,
        { accountId, folder },
        this.#options.sink,
        {
          owner: this.owner,
          ...(this.#options.log ? { log: this.#options.log } : {}),
          ...this.#options.listener,
        },
      );
      this.#running.set(key, { listener, fingerprint });
      listener.start();
    }
  }

  async status(accountId: string): Promise<AccountIntakeStatus | undefined> {
    const { rows } = await this.#options.db.query<{
      imap: ImapSettings | null;
      imap_state: MailConnectionState;
      imap_error: string | null;
    }>('select imap, imap_state, imap_error from mail_accounts where id = $1', [accountId]);
    return rows[0] && intakeStatus(this.#options.db, accountId, rows[0], this);
  }

  listenerStatus(accountId: string, folder: string): ListenerStatus | undefined {
    return this.#running.get(`${accountId}\0${folder}`)?.listener.status;
  }

  /** Wakes the account's listeners in this process (a back-fill was requested). */
  wake(accountId: string): void {
    for (const { listener } of this.#running.values()) if (listener.key.accountId === accountId) listener.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#refreshing;
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map(({ listener }) => listener.stop()));
  }
}

/** The folders' checkpoints and back-fill progress, with this process's listeners when it runs them. */
export async function intakeStatus(
  db: Db,
  accountId: string,
  account: { imap: ImapSettings | null; imap_state: MailConnectionState; imap_error: string | null },
  intake?: MailIntake,
): Promise<AccountIntakeStatus> {
  const folders = await folderStatuses(db, accountId);
  return {
    accountId,
    imapState: account.imap ? account.imap_state : 'disabled',
    ...(account.imap_error ? { imapError: account.imap_error } : {}),
    folders: folders.map((folder) => {
      const listener = intake?.listenerStatus(accountId, folder.folder);
      return { ...folder, ...(listener ? { listener } : {}) };
    }),
  };
}

/**
 * Where an app's intake hands messages: each is stored through ingest like an HTTP delivery, under a
 * synthetic email source named after the account (its trigger is `{ kind: 'email', source: <id> }`),
 * and routed later by the folder's routing pump exactly as ingest routes (server/lib/event-routing.ts).
 */
export function mailSinkOf(app: FastifyInstance): MessageSink {
  const context: IngestContext = {
    ...dispatchContextOf(app),
    sources: new SourceCache(app.services.keyring),
    // One DNS cache per intake: a back-fill asks about the same few sender domains again and again.
    senderTrust: { trustedAuthservIds: app.trellisConfig.trustedAuthservIds ?? [], resolver: cachingResolver() },
  };
  const limits = new Map<string, { at: number; max?: number }>();
  const maxAttachmentBytes = async (accountId: string) => {
    const hit = limits.get(accountId);
    if (hit && Date.now() - hit.at < 5_000) return hit.max;
    const { rows } = await app.services.db.query<{ max: number | null }>(
      `select (imap->>'maxAttachmentBytes')::int as max from mail_accounts where id = $1`,
      [accountId],
    );
    const max = rows[0]?.max ?? undefined;
    limits.set(accountId, { at: Date.now(), ...(max === undefined ? {} : { max }) });
    return max;
  };
  return {
    async store(message) {
      const max = await maxAttachmentBytes(message.accountId);
      const { recorded } = await storeDelivery(context, {
        source: mailAccountSource(message.accountId),
        body: message.raw,
        contentType: 'message/rfc822',
        headers: {},
        ...(max === undefined ? {} : { maxAttachmentBytes: max }),
      });
      return { eventId: recorded.event.id };
    },
    async route(eventId, accountId) {
      const event = await getEvent(app.services.db, eventId);
      if (!event) return; // Erased since (a client's data removed): nothing left to route.
      // Routed before counts as possible: a crash may have come between routing and its mark.
      await dispatchEvent(context, mailAccountSource(accountId).name, {
        event,
        idempotencyKey: event.idempotencyKey ?? event.id,
        duplicate: true,
      });
    },
  };
}

/** A MailIntake for a built app, delivering through its ingest path. */
export function mailIntakeOf(
  app: FastifyInstance,
  options: Partial<Omit<MailIntakeOptions, 'db' | 'keyring' | 'sink'>> = {},
): MailIntake {
  return new MailIntake({
    db: app.services.db,
    keyring: app.services.keyring,
    sink: mailSinkOf(app),
    log: (line) => app.log.warn(line),
    ...options,
  });
}

const running = new WeakMap<object, MailIntake>();

/** Makes an app's running intake visible to its routes (status of this process's listeners). */
export function attachMailIntake(app: FastifyInstance, intake: MailIntake): void {
  running.set(app.services, intake);
}

export function runningMailIntake(app: FastifyInstance): MailIntake | undefined {
  return running.get(app.services);
}
