// PGlite is one PostgreSQL session. Every connection to the embedded database shares it, so
// exactly one connection may own it at a time: from its first message until the backend is
// idle again (ReadyForQuery 'I' with no extended-protocol sequence open). Others wait in
// arrival order.

/** The part of PGlite the session needs (an interface, so the scheduling is testable alone). */
export interface ProtocolDatabase {
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
}

/** A connection that can be handed the session. */
export interface SessionTenant {
  readonly id: number;
  /** Called once the tenant owns the session; it keeps it until it calls `release`. */
  granted(): void;
}

export class SharedSession {
  private owner: SessionTenant | undefined;
  private readonly waiting: SessionTenant[] = [];
  private readonly db: ProtocolDatabase;

  constructor(db: ProtocolDatabase) {
    this.db = db;
  }

  /** Grants the session now if it is free, or queues the tenant (once). */
  acquire(tenant: SessionTenant): void {
    if (this.owner === tenant || this.waiting.includes(tenant)) return;
    if (this.owner === undefined) {
      this.owner = tenant;
      tenant.granted();
      return;
    }
    this.waiting.push(tenant);
  }

  /** Gives the session to the next tenant in line. */
  release(tenant: SessionTenant): void {
    if (this.owner !== tenant) {
      this.forget(tenant);
      return;
    }
    this.owner = this.waiting.shift();
    // On the next turn of the event loop, so a release never runs the next tenant's work
    // inside the previous tenant's call stack.
    const next = this.owner;
    if (next) setImmediate(() => next.granted());
  }

  /** Removes a tenant that no longer wants the session from the queue. */
  forget(tenant: SessionTenant): void {
    const index = this.waiting.indexOf(tenant);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  owns(tenant: SessionTenant): boolean {
    return this.owner === tenant;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Runs protocol messages on the session; only its owner may call this. */
  async exec(tenant: SessionTenant, messages: Uint8Array): Promise<Uint8Array> {
    if (this.owner !== tenant) throw new Error(`connection ${tenant.id} ran a query without owning the session`);
    return this.db.execProtocolRaw(messages);
  }
}
