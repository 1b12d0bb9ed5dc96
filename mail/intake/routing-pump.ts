import type { Db } from '../../store/db.ts';
import { recordFolderError, type FolderKey } from './folder-store.ts';
import { owedRoutings, routingFailed, routingsDone, type OwedRouting } from './routing-owed.ts';

// Routing what the intake stored, behind it: the listener holding a folder's lease stores each
// message's event and marks it (take-messages.ts), and this pump then routes the marked events in
// UID order (the intent router, or the workflows wired to the account). Storing never waits on
// routing, so a back-fill takes a mailbox in at the speed of the database, and a crash between the
// two loses nothing: the rows stay owed (routing-owed.ts) until the next holder of the lease routes
// them. Routing an event again is idempotent (server/lib/event-routing.ts), which is what makes a
// crash between routing and its mark harmless.

/** Routes one stored event of the account; throws to be retried. */
export type RouteStoredEvent = (eventId: string, accountId: string) => Promise<void>;

export interface RoutingPumpOptions {
  /** Owed rows read per query. */
  batch?: number;
  /** How often to look for owed rows when nothing woke the pump (another process may have stored some). */
  pollMs?: number;
  /** Failures of one event before it is passed over (its error kept on the row). */
  maxAttempts?: number;
  /** The first pause after a failure; doubled per attempt. */
  retryMs?: number;
  log?: (line: string) => void;
}

const DEFAULTS = { batch: 50, pollMs: 5_000, maxAttempts: 5, retryMs: 500 };
/** Routed rows are marked this many at a time: a crash re-routes at most these (idempotently). */
const MARK_EVERY = 10;

export class RoutingPump {
  readonly #db: Db;
  readonly #key: FolderKey;
  readonly #route: RouteStoredEvent;
  readonly #options: typeof DEFAULTS & { log: (line: string) => void };
  #stopped = false;
  #woken = false;
  #wakeSignal: () => void = () => {};
  #running: Promise<void> | undefined;
  #routed = 0;

  constructor(db: Db, key: FolderKey, route: RouteStoredEvent, options: RoutingPumpOptions = {}) {
    this.#db = db;
    this.#key = key;
    this.#route = route;
    this.#options = { ...DEFAULTS, log: () => {}, ...options };
  }

  /** Events this pump routed since it started. */
  get routed(): number {
    return this.#routed;
  }

  start(): void {
    this.#running ??= this.#run().catch((error: unknown) =>
      this.#options.log(`mail routing ${this.#key.accountId}/${this.#key.folder} stopped: ${String(error)}`),
    );
  }

  /** New rows were marked: look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeSignal();
  }

  /** Stops after the event being routed (at most one in flight). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeSignal();
    await this.#running;
  }

  async #pause(ms: number): Promise<void> {
    if (this.#woken || this.#stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#wakeSignal = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.#wakeSignal = () => {};
  }

  async #run(): Promise<void> {
    const { batch, pollMs, log } = this.#options;
    while (!this.#stopped) {
      this.#woken = false;
      let owed: OwedRouting[];
      try {
        owed = await owedRoutings(this.#db, this.#key, batch);
      } catch (error) {
        log(`mail routing ${this.#key.accountId}/${this.#key.folder}: reading what is owed failed: ${String(error)}`);
        await this.#pause(pollMs);
        continue;
      }
      if (owed.length === 0) {
        await this.#pause(pollMs);
        continue;
      }
      await this.#routeAll(owed);
    }
  }

  /** Routes the rows in order; on a failure, records it, pauses, and lets the loop read again. */
  async #routeAll(owed: OwedRouting[]): Promise<void> {
    const done: OwedRouting[] = [];
    const mark = async () => {
      await routingsDone(this.#db, this.#key, done.splice(0));
    };
    for (const row of owed) {
      if (this.#stopped) break;
      try {
        await this.#route(row.eventId, this.#key.accountId);
      } catch (error) {
        await mark().catch(() => {});
        await this.#failed(row, error);
        return;
      }
      this.#routed += 1;
      done.push(row);
      if (done.length >= MARK_EVERY) await mark();
    }
    await mark();
  }

  async #failed(row: OwedRouting, error: unknown): Promise<void> {
    const { maxAttempts, retryMs, log } = this.#options;
    const attempts = row.attempts + 1;
    const passOver = attempts >= maxAttempts;
    const message = error instanceof Error ? error.message : String(error);
    const where = `mail routing ${this.#key.accountId}/${this.#key.folder}`;
    await routingFailed(this.#db, this.#key, row, message, passOver).catch(() => {});
    if (passOver) {
      const problem = `event ${row.eventId} (UID ${row.uid}) was stored but could not be routed after ${attempts} tries: ${message}`;
      log(`${where}: ${problem}`);
      await recordFolderError(this.#db, this.#key, problem).catch(() => {});
      return;
    }
    log(`${where}: routing event ${row.eventId} failed (try ${attempts} of ${maxAttempts}): ${message}`);
    // Not woken early by new mail: the failing row is first in line again after the pause.
    const until = Date.now() + Math.min(retryMs * 2 ** (attempts - 1), 30_000);
    while (!this.#stopped && Date.now() < until) {
      this.#woken = false;
      await this.#pause(until - Date.now());
    }
  }
}
