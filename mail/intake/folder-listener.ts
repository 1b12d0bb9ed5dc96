import type { ImapFlow } from 'imapflow';
import type { Keyring } from '../../security/keyring.ts';
import type { Db } from '../../store/db.ts';
import { getMailAccountSecrets, setMailAccountState } from '../../store/mail-accounts.ts';
import { imapClient, type ImapSecrets } from '../connections.ts';
import { afterRunOf } from './after-run.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import {
  catchUp,
  LeaseLost,
  runRequestedBackfill,
  settleCheckpoint,
  type CatchUpContext,
  type MessageSink,
} from './catch-up.ts';
import { describeConnectionError } from './connection-errors.ts';
import { recordFolderError, releaseLease, renewLease, takeLease, type FolderKey } from './folder-store.ts';
import { RoutingPump, type RoutingPumpOptions } from './routing-pump.ts';

// One listener per (account, folder), across every process: it holds the folder's lease in
// PostgreSQL while connected and renews it; without the lease it does not connect. It has at most
// one IMAP connection open at any time: the old client is closed (and its close awaited) before
// a new one is opened. New mail is noticed by IDLE (imapflow's auto-IDLE and its `exists` event)
// or, on a server without IDLE, by a NOOP every poll interval; a dropped connection is noticed by
// the client's `close` event or by a NOOP watchdog with a deadline, and the listener reconnects
// after a capped, jittered backoff and catches up from its checkpoint. While connected, a routing
// pump routes what it stored (routing-pump.ts), so only the holder of the lease routes the folder.

export interface ListenerOptions {
  /** This process's listener identity in leases and claims. */
  owner: string;
  leaseMs?: number;
  /** Without IDLE: how often to ask the server for new mail. */
  pollMs?: number;
  /** Under IDLE: how often a NOOP checks that the connection still answers. */
  watchdogMs?: number;
  /** How long that NOOP may take before the connection counts as dead. */
  noopDeadlineMs?: number;
  backoff?: BackoffPolicy;
  routing?: Omit<RoutingPumpOptions, 'log'>;
  log?: (line: string) => void;
}

export type ListenerState = 'starting' | 'standby' | 'connecting' | 'listening' | 'backing-off' | 'stopped';

export interface ListenerStatus {
  state: ListenerState;
  idle: boolean;
  /** Connection attempts since the listener started. */
  attempts: number;
  /** Stored events this listener routed since it started. */
  routed: number;
  lastError?: string;
}

const DEFAULTS = { leaseMs: 30_000, pollMs: 30_000, watchdogMs: 60_000, noopDeadlineMs: 15_000 };

const wait = (ms: number) => new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), ms).unref());

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} got no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export class FolderListener {
  readonly key: FolderKey;
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #sink: MessageSink;
  readonly #options: Required<Omit<ListenerOptions, 'log' | 'routing'>> &
    Pick<ListenerOptions, 'routing'> & { log: (line: string) => void };
  #pump: RoutingPump | undefined;
  #routedBefore = 0;
  #status: ListenerStatus = { state: 'starting', idle: false, attempts: 0, routed: 0 };
  #stopped = false;
  #stopSignal: () => void = () => {};
  readonly #stopping: Promise<'stop'>;
  #wakeSignal: () => void = () => {};
  #running: Promise<void> | undefined;
  #client: ImapFlow | undefined;

  constructor(db: Db, keyring: Keyring, key: FolderKey, sink: MessageSink, options: ListenerOptions) {
    this.#db = db;
    this.#keyring = keyring;
    this.key = key;
    this.#sink = sink;
    this.#options = { ...DEFAULTS, backoff: DEFAULT_BACKOFF, log: () => {}, ...options };
    this.#stopping = new Promise((resolve) => (this.#stopSignal = () => resolve('stop')));
  }

  get status(): ListenerStatus {
    return { ...this.#status, routed: this.#routedBefore + (this.#pump?.routed ?? 0) };
  }

  start(): void {
    this.#running ??= this.#run().catch((error: unknown) =>
      this.#options.log(`mail intake ${this.key.accountId}/${this.key.folder} stopped: ${String(error)}`),
    );
  }

  /** Looks for new mail now (after a back-fill request, a settings change). */
  wake(): void {
    this.#wakeSignal();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopSignal();
    this.#client?.close();
    await this.#running;
    await releaseLease(this.#db, this.key, this.#options.owner).catch(() => {});
    this.#status.state = 'stopped';
  }

  async #sleep(ms: number): Promise<void> {
    await Promise.race([wait(ms), this.#stopping]);
  }

  async #run(): Promise<void> {
    const { backoff, leaseMs, owner } = this.#options;
    let failures = 0;
    while (!this.#stopped) {
      const checkpoint = await takeLease(this.#db, this.key, owner, leaseMs).catch((error: unknown) => {
        this.#options.log(`mail intake ${this.key.accountId}/${this.key.folder}: no lease (${String(error)})`);
        return undefined;
      });
      if (!checkpoint) {
        this.#status.state = 'standby'; // Another process listens; take over once its lease expires.
        await this.#sleep(leaseMs / 2);
        continue;
      }
      let imap: ImapSecrets | undefined;
      try {
        imap = (await getMailAccountSecrets(this.#db, this.#keyring, this.key.accountId))?.imap;
      } catch (error) {
        // A password that does not open with this keyring (the message names no secret), or the database away.
        const message = error instanceof Error ? error.message : String(error);
        this.#status = { ...this.#status, state: 'backing-off', lastError: message };
        await setMailAccountState(this.#db, this.key.accountId, 'imap', 'failing', message).catch(() => {});
        await this.#sleep(backoffDelay(backoff, ++failures, true));
        continue;
      }
      if (!imap) {
        await this.#sleep(leaseMs / 2);
        continue;
      }
      this.#status.attempts += 1;
      this.#status.state = 'connecting';
      let connected = false;
      try {
        await this.#session(imap, checkpoint, () => {
          connected = true;
          failures = 0;
        });
        if (this.#stopped) break;
        throw new Error('the connection closed');
      } catch (error) {
        if (this.#stopped) break;
        if (error instanceof LeaseLost) {
          this.#options.log(`mail intake: ${error.message}`);
          continue;
        }
        const problem = describeConnectionError(error, { host: imap.host, port: imap.port, folder: this.key.folder });
        failures += 1;
        this.#status.lastError = problem.message;
        // A drop after a good connection is news for the log, not a failing account.
        if (!connected)
          await setMailAccountState(this.#db, this.key.accountId, 'imap', 'failing', problem.message).catch(() => {});
        await recordFolderError(this.#db, this.key, problem.message).catch(() => {});
        this.#options.log(`mail intake ${this.key.accountId}/${this.key.folder}: ${problem.message}`);
        this.#status.state = 'backing-off';
        await this.#sleep(backoffDelay(backoff, failures, problem.kind === 'auth'));
      }
    }
  }

  async #session(
    imap: ImapSecrets,
    checkpoint: NonNullable<Awaited<ReturnType<typeof takeLease>>>,
    onConnected: () => void,
  ): Promise<void> {
    const { leaseMs, pollMs, watchdogMs, noopDeadlineMs } = this.#options;
    const client = imapClient(imap, { clientName: 'Trellis intake' });
    let closedSignal: () => void = () => {};
    const closed = new Promise<'closed'>((resolve) => (closedSignal = () => resolve('closed')));
    let isClosed = false;
    client.on('close', () => {
      isClosed = true;
      closedSignal();
    });
    client.on('error', () => closedSignal()); // Every error ends the session; its cause surfaces from the failed command.
    client.on('exists', () => this.#wakeSignal());
    this.#client = client;
    const pump = new RoutingPump(this.#db, this.key, this.#sink.route, {
      ...this.#options.routing,
      log: this.#options.log,
    });
    this.#pump = pump;
    // The lease is renewed on its own clock, whatever the session is busy with (a slow connect, a
    // long delivery); once it is lost the connection is closed, so a listener that paused past
    // its lease stops within one renewal period of noticing.
    let leaseLost = false;
    const renewer = setInterval(() => {
      renewLease(this.#db, this.key, this.#options.owner, leaseMs).then(
        (renewed) => {
          if (renewed || leaseLost) return;
          leaseLost = true;
          client.close();
        },
        () => {}, // The database is away: the next renewal tries again; the lease may lapse meanwhile.
      );
    }, leaseMs / 3);
    renewer.unref();
    try {
      await client.connect();
      if (this.#stopped) return;
      // Read-only (EXAMINE) unless the account asks to flag or move what it took (SELECT).
      const afterRun = afterRunOf(imap, this.key.folder);
      const mailbox = await client.mailboxOpen(this.key.folder, { readOnly: !afterRun });
      onConnected();
      pump.start(); // What an earlier holder of the lease stored and did not route comes first.
      await setMailAccountState(this.#db, this.key.accountId, 'imap', 'ok');
      await recordFolderError(this.#db, this.key, null);
      const context: CatchUpContext = {
        db: this.#db,
        key: this.key,
        owner: this.#options.owner,
        leaseMs,
        deliver: this.#sink.store,
        routeSoon: () => pump.wake(),
        ...(afterRun ? { afterRun } : {}),
        leaseHeld: () => !leaseLost,
        stopped: () => this.#stopped || isClosed,
        log: this.#options.log,
      };
      let { uidValidity, lastUid } = await settleCheckpoint(
        context,
        client,
        mailbox,
        checkpoint,
        imap.backfillDays ?? 0,
      );
      const idle = client.capabilities.has('IDLE');
      this.#status = { ...this.#status, state: 'listening', idle };
      delete this.#status.lastError;
      while (!this.#stopped && !isClosed) {
        const woken = new Promise<'wake'>((resolve) => (this.#wakeSignal = () => resolve('wake')));
        lastUid = await catchUp(context, client, uidValidity, lastUid);
        await runRequestedBackfill(context, client, uidValidity, lastUid);
        // IDLE now, not after imapflow's 15 s of quiet (which the watchdog would keep postponing):
        // the server's EXISTS wakes the loop, and the next command (SEARCH, NOOP) ends the IDLE.
        if (idle) void client.idle().catch(() => {}); // A failed IDLE ends in the close event.
        const reason = await Promise.race([woken, closed, this.#stopping, wait(idle ? watchdogMs : pollMs)]);
        if (leaseLost) throw new LeaseLost(this.key);
        if (reason === 'stop' || reason === 'closed') return;
        // The watchdog (and, without IDLE, the poll): a connection that does not answer is dead.
        if (reason === 'timer') await withDeadline(client.noop(), noopDeadlineMs, 'NOOP');
        if (client.mailbox && BigInt(client.mailbox.uidValidity) !== uidValidity) {
          ({ uidValidity, lastUid } = await settleCheckpoint(
            context,
            client,
            client.mailbox,
            { uidValidity, lastUid, backfillDone: 0 },
            imap.backfillDays ?? 0,
          ));
        }
      }
      if (leaseLost) throw new LeaseLost(this.key);
    } catch (error) {
      throw leaseLost ? new LeaseLost(this.key) : error;
    } finally {
      clearInterval(renewer);
      await pump.stop();
      this.#routedBefore += pump.routed;
      this.#pump = undefined;
      this.#wakeSignal = () => {};
      this.#client = undefined;
      client.close();
      // The bound: the next connection opens only once this one is gone.
      if (!isClosed) await Promise.race([closed, wait(2_000)]);
    }
  }
}
