// Serves one PGlite database over the PostgreSQL wire protocol on loopback, so the ordinary
// `pg` client (server, worker, CLI, psql) reaches it as it would a real PostgreSQL.
//
// Why not `@electric-sql/pglite-socket`: its 0.2.17 schedules single protocol messages from
// all connections on the one PGlite session and keeps a connection's turn only while a
// transaction is open, so the Parse/Bind/Execute/Sync of two clients interleave ("unnamed
// prepared statement does not exist", binds against another client's statement), and a
// client killed mid-sequence leaves its half-run statement to the next one (upstream:
// electric-sql/pglite#977 and #1046, unreleased). Here a connection owns the session from its
// first message until the backend is idle again, and a client that goes away is cleaned up
// after before anyone else runs (client-connection.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { ClientConnection } from './client-connection.ts';
import { SharedSession, type ProtocolDatabase } from './shared-session.ts';

export interface SessionServerOptions {
  db: ProtocolDatabase;
  host: string;
  port: number;
  maxConnections?: number;
  idleInTransactionMs?: number;
  log?: (line: string) => void;
}

export class SessionServer {
  private readonly session: SharedSession;
  private readonly connections = new Set<ClientConnection>();
  private server: Server | undefined;
  private nextId = 1;
  private readonly options: SessionServerOptions;

  constructor(options: SessionServerOptions) {
    this.options = options;
    this.session = new SharedSession(options.db);
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.connect(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting, closes every client (their sessions cleaned up) and waits for that. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    for (const connection of this.connections) connection.refuse('57P01', 'the embedded database is shutting down');
    const deadline = Date.now() + timeoutMs;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.race([closed, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private connect(socket: Socket): void {
    const log = this.options.log ?? ((line: string) => console.log(line));
    const connection = new ClientConnection(this.nextId++, socket, this.session, {
      idleInTransactionMs: this.options.idleInTransactionMs ?? 30_000,
      log,
      onClosed: (closed) => this.connections.delete(closed),
    });
    const limit = this.options.maxConnections ?? 64;
    if (this.connections.size >= limit) {
      connection.refuse('53300', `sorry, too many clients already (the embedded database allows ${limit})`);
      return;
    }
    this.connections.add(connection);
  }
}
