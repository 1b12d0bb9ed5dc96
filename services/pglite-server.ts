// Child process that owns the embedded PGlite database (PostgreSQL + pgvector in WASM)
// and serves it on loopback with the PostgreSQL wire protocol, so the same `pg` code
// talks to it and to a real PostgreSQL. Started by services/postgres.ts.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import lockfile from 'proper-lockfile';
import { SessionServer } from './pglite/session-server.ts';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
const dataDir = path.resolve(values['data-dir'] ?? 'data/pglite');
const port = Number(values.port ?? 5442);
const host = values.host ?? '127.0.0.1';

mkdirSync(dataDir, { recursive: true });
// PGlite does not stop a second process from opening the same folder, and that loses
// committed rows (SERVICES.md), so the folder is locked for as long as we serve it.
const release = await lockfile
  .lock(dataDir, {
    lockfilePath: `${dataDir}.lock`,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 12, minTimeout: 1_000 },
  })
  .catch((error: Error) => {
    console.error(`PGlite data folder ${dataDir} is in use by another process (${error.message}).`);
    process.exit(3);
  });

const db = await PGlite.create({ dataDir, extensions: { vector } });
// Each connection owns the one PGlite session until the backend is idle again (see
// pglite/session-server.ts for why this is not @electric-sql/pglite-socket).
const server = new SessionServer({
  db,
  host,
  port,
  maxConnections: 64,
  idleInTransactionMs: Number(process.env.TRELLIS_PGLITE_IDLE_IN_TRANSACTION_MS ?? 30_000),
});
await server.start();
console.log(`PGlite serving ${dataDir} on ${host}:${port}`);
process.send?.({ ready: true, port });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`PGlite stopping on ${signal}`);
  await server.stop();
  await db.close();
  await release();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('disconnect', () => void shutdown('parent gone'));
