// One client connection to the embedded database. It queues the client's messages, runs them
// while it owns the shared session, gives the session back only when the backend is idle
// again, and puts the session back the way it found it when the client goes away.
import type { Socket } from 'node:net';
import type { SessionTenant, SharedSession } from './shared-session.ts';
import {
  abortingBind,
  closeStatement,
  copyFail,
  errorResponse,
  FrameReader,
  isExtendedQuery,
  ProtocolError,
  renameStatements,
  simpleQuery,
  summariseResponse,
  SYNC,
  type FrontendMessage,
  type TransactionStatus,
} from './wire.ts';

export interface ConnectionOptions {
  /** How long an owner may sit idle inside a transaction while others wait, before it is cut off. */
  idleInTransactionMs: number;
  log: (line: string) => void;
  onClosed: (connection: ClientConnection) => void;
}

export class ClientConnection implements SessionTenant {
  private readonly reader = new FrameReader();
  private readonly pending: Buffer[] = [];
  /** This connection's prepared statements, by their session-wide (prefixed) names. */
  private readonly statements = new Set<string>();
  private holding = false;
  private running = false;
  private closing = false;
  private cleaning = false;
  private finished = false;
  /** An extended-protocol message was sent and its Sync has not been. */
  private syncPending = false;
  /** Startup, Query and Sync messages sent whose ReadyForQuery has not come back yet. */
  private readyPending = 0;
  private status: TransactionStatus = 'I';
  private copyIn = false;
  private idleTimer: NodeJS.Timeout | undefined;
  readonly id: number;
  private readonly socket: Socket;
  private readonly session: SharedSession;
  private readonly options: ConnectionOptions;

  constructor(id: number, socket: Socket, session: SharedSession, options: ConnectionOptions) {
    this.id = id;
    this.socket = socket;
    this.session = session;
    this.options = options;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  granted(): void {
    this.holding = true;
    if (this.closing) void this.cleanUp();
    else void this.drain();
  }

  /** Refuses the client with a FATAL error (used for limits) and closes. */
  refuse(code: string, text: string): void {
    this.write(errorResponse('FATAL', code, text));
    this.socket.end();
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    let messages: FrontendMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.options.log(`connection ${this.id}: protocol violation (${error.message}); closing it`);
      this.refuse('08P01', error.message);
      this.close();
      return;
    }
    for (const message of messages) this.accept(message);
    if (this.closing) return;
    if (this.pending.length > 0) {
      if (!this.holding) this.session.acquire(this);
      else if (!this.running) void this.drain();
    }
  }

  private accept(message: FrontendMessage): void {
    if (this.closing) return;
    if (message.kind === 'ssl' || message.kind === 'gssenc') {
      this.write(Buffer.from('N')); // no encryption on loopback; the client goes on in plain text
      return;
    }
    if (message.kind === 'cancel') {
      this.socket.end(); // PGlite has no backend to interrupt; the protocol expects no answer
      return;
    }
    if (message.kind !== 'typed') {
      this.readyPending += 1; // the startup message, answered with ReadyForQuery
      this.pending.push(message.bytes);
      return;
    }
    if (message.type === 'X') {
      this.close();
      return;
    }
    const renamed = renameStatements(message.type, message.bytes, `c${this.id}:`);
    if (renamed.parsed) this.statements.add(renamed.parsed);
    if (renamed.closed) this.statements.delete(renamed.closed);
    if (isExtendedQuery(message.type)) this.syncPending = true;
    if (message.type === 'S') {
      this.syncPending = false;
      this.readyPending += 1;
    }
    if (message.type === 'Q') this.readyPending += 1;
    this.pending.push(renamed.bytes);
  }

  /** Runs everything queued, then keeps or gives back the session. */
  private async drain(): Promise<void> {
    if (this.running || !this.holding) return;
    this.running = true;
    this.clearIdleTimer();
    try {
      while (this.pending.length > 0 && !this.closing) {
        const batch = Buffer.concat(this.pending.splice(0));
        const out = await this.session.exec(this, batch);
        this.observe(out);
        this.write(out);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log(`connection ${this.id}: the database failed a query: ${reason}`);
      this.refuse('XX000', `embedded database error: ${reason}`);
      this.close();
    } finally {
      this.running = false;
    }
    if (this.closing) {
      await this.cleanUp();
      return;
    }
    if (this.idle()) {
      this.holding = false;
      this.session.release(this);
      if (this.pending.length > 0) this.session.acquire(this);
    } else {
      this.armIdleTimer();
    }
  }

  private observe(out: Uint8Array): void {
    const summary = summariseResponse(out);
    this.readyPending = Math.max(0, this.readyPending - summary.readyForQuery);
    if (summary.lastStatus) this.status = summary.lastStatus;
    if (summary.copyIn) this.copyIn = true;
    else if (summary.readyForQuery > 0) this.copyIn = false;
  }

  private idle(): boolean {
    return this.readyPending === 0 && !this.syncPending && !this.copyIn && this.status === 'I';
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      if (this.session.waitingCount === 0) {
        this.armIdleTimer();
        return;
      }
      const seconds = Math.round(this.options.idleInTransactionMs / 1000);
      this.options.log(`connection ${this.id}: idle in a transaction for ${seconds} s while others waited; closing it`);
      this.refuse(
        '25P03',
        `terminating connection: idle in a transaction for ${seconds} s while ${this.session.waitingCount} other connections waited for the embedded database`,
      );
      this.close();
    }, this.options.idleInTransactionMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private close(): void {
    if (this.closing) return;
    this.closing = true;
    this.clearIdleTimer();
    this.pending.length = 0;
    if (!this.socket.destroyed) this.socket.destroy();
    if (this.running) return; // drain() cleans up when the query in flight returns
    // Owning the session includes having been handed it with granted() still to come.
    if (this.holding || this.session.owns(this)) {
      void this.cleanUp();
    } else if (this.statements.size > 0) {
      this.session.acquire(this); // its statements must be closed, under the session
    } else {
      this.session.forget(this);
      this.finish();
    }
  }

  /**
   * Leaves the session as if this client had never been there: an unfinished COPY or
   * extended-protocol sequence is aborted (never committed by a Sync), an open transaction
   * rolled back, and the client's prepared statements closed. Runs while holding the session.
   */
  private async cleanUp(): Promise<void> {
    if (this.cleaning) return;
    this.cleaning = true;
    try {
      if (this.copyIn) this.observe(await this.session.exec(this, copyFail('client disconnected')));
      else if (this.syncPending || this.readyPending > 0) {
        this.observe(await this.session.exec(this, Buffer.concat([abortingBind(), SYNC])));
      }
      if (this.status !== 'I') this.observe(await this.session.exec(this, simpleQuery('ROLLBACK')));
      if (this.statements.size > 0) {
        const closes = [...this.statements].map((name) => closeStatement(name));
        this.observe(await this.session.exec(this, Buffer.concat([...closes, SYNC])));
      }
      if (this.status !== 'I') throw new Error(`session still in transaction state ${this.status} after rollback`);
    } catch (error) {
      this.options.log(`connection ${this.id}: cleaning up after the client failed: ${(error as Error).message}`);
    } finally {
      this.holding = false;
      this.session.release(this);
      this.finish();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.options.onClosed(this);
  }

  private write(bytes: Uint8Array): void {
    if (bytes.length > 0 && this.socket.writable) this.socket.write(bytes);
  }
}
