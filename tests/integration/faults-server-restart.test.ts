// The API server killed for real during a burst of signed webhook deliveries: senders retry until
// they get their 202 (each retry signed anew), as a webhook provider does. Whatever was acknowledged
// must be stored, and every idempotency key must end with exactly one event and exactly one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signBody } from '../../server/lib/signature.ts';
import { freePort } from '../../services/ports.ts';
import { runWorkflowId } from '../../temporal/runs.ts';
import { productCodecs, startHarness, type Harness } from '../support/interpreter-harness.ts';
import { loadKeyring } from '../../security/keyring.ts';
import { countingWebhookWorkflow, runsOfWorkflow } from '../support/webhook-counting.ts';

const DELIVERIES = 150;
const SENDERS = 12;
const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The whole burst must be over by then; every wait below is bounded by it and fails with what it saw. */
const BURST_MS = 200_000;

describe('the API server restarted during a burst of webhook deliveries', () => {
  const services = inject('services');
  const source = `burst-${Date.now().toString(36)}`;
  let h: Harness;
  let secret = '';
  let workflowId = '';
  let port = 0;
  let dataDir = '';
  let server: ChildProcess | undefined;
  /** The last few kB the server processes printed, for the failure message of any wait. */
  let serverOutput = '';
  const seen = (chunk: Buffer) => (serverOutput = (serverOutput + chunk.toString()).slice(-4_000));

  /** A real `trellis server` process on the test services, its workflows on the harness's task queue. */
  async function startServer(): Promise<void> {
    const child = spawn(process.execPath, [cli, 'server'], {
      env: {
        ...process.env,
        TRELLIS_HOST: '127.0.0.1',
        TRELLIS_PORT: String(port),
        TRELLIS_DATA_DIR: dataDir,
        TRELLIS_TASK_QUEUE: h.taskQueue,
        TRELLIS_INSTALL_TEMPLATES: 'false',
        TRELLIS_LOG_LEVEL: 'warn',
        TEMPORAL_ADDRESS: services.temporal.address,
        TEMPORAL_NAMESPACE: services.temporal.namespace,
        WEAVIATE_URL: services.weaviate.url,
        WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
        WEAVIATE_API_KEY: services.weaviate.apiKey ?? '',
        DATABASE_URL: services.postgres.url,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    server = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${serverOutput}`);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (health && health.status < 500) return;
      await sleep(100);
    }
    throw new Error(`the server did not answer within 60 s:\n${serverOutput}`);
  }

  async function stopServer(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = server;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    process.kill(-child.pid, signal);
    const gone = await Promise.race([exited, sleep(15_000).then(() => false)]);
    if (!gone) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`the server did not stop within 15 s of ${signal}:\n${serverOutput}`);
    }
  }

  beforeAll(async () => {
    // The server encrypts run payloads with its data folder's keyring: the harness's worker shares it.
    dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-burst-'));
    h = await startHarness(services, { codecs: productCodecs(dataDir) });
    port = await freePort();
    ({ secret, workflowId } = await countingWebhookWorkflow(
      h,
      loadKeyring(dataDir, {}),
      source,
      'Count burst deliveries',
    ));
    await startServer();
  });

  afterAll(async () => {
    await stopServer('SIGTERM');
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged event and starts exactly one run per key across a SIGKILL and a SIGTERM', async () => {
    const acked = new Map<string, { eventId: string; duplicate: boolean }>();
    let attempts = 0;
    let refused = 0;
    let clock = 0;
    const deadline = Date.now() + BURST_MS;
    const lastRefusals: string[] = [];
    const sawSoFar = () =>
      `${acked.size} of ${DELIVERIES} acknowledged after ${attempts} attempts; last refusals: ` +
      `${lastRefusals.join(' | ') || 'none'}\nserver output:\n${serverOutput}`;

    /** One delivery, retried until it is acknowledged; a retry is signed anew (its own timestamp). */
    async function deliver(i: number): Promise<void> {
      const body = JSON.stringify({ id: `burst-${i}`, text: `order ${i}` });
      while (Date.now() < deadline) {
        attempts += 1;
        const timestamp = Math.floor(Date.now() / 1000) - (clock++ % 240);
        const response = await fetch(`http://127.0.0.1:${port}/api/ingest/${source}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `k-${i}`,
            'x-trellis-timestamp': String(timestamp),
            'x-trellis-signature': signBody(secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        if (response?.status === 202) {
          const reply = (await response.json()) as { eventId: string; duplicate: boolean };
          acked.set(`${source}:k-${i}`, reply);
          return;
        }
        // Anything else is the server going away or coming back: a sender waits and tries again.
        if (response) {
          refused += 1;
          const text = (await response.text().catch(() => '')).slice(0, 200);
          lastRefusals.splice(0, lastRefusals.length - 4, `${response.status} ${text}`);
        }
        await sleep(50);
      }
      throw new Error(`delivery ${i} was never acknowledged within ${BURST_MS / 1000} s: ${sawSoFar()}`);
    }

    let next = 0;
    const senders = Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < DELIVERIES) await deliver(next++);
      }),
    );
    // Kill the server without warning a third of the way in, then stop it politely at two thirds.
    for (const [at, signal] of [
      [DELIVERIES / 3, 'SIGKILL'],
      [(2 * DELIVERIES) / 3, 'SIGTERM'],
    ] as const) {
      while (acked.size < at) {
        if (Date.now() > deadline) throw new Error(`stuck before the ${signal}: ${sawSoFar()}`);
        await sleep(10);
      }
      await stopServer(signal);
      await sleep(500);
      await startServer();
    }
    await senders;
    expect(acked.size).toBe(DELIVERIES);

    // Every acknowledged event is stored, once per key, and is the event its 202 named.
    const { rows } = await h.db.query<{ idempotency_key: string; id: string; n: number }>(
      `select idempotency_key, min(id::text) as id, count(*)::int as n from events where source_name = $1
       group by idempotency_key`,
      [source],
    );
    expect(rows).toHaveLength(DELIVERIES);
    for (const row of rows) {
      expect(row.n).toBe(1);
      expect(acked.get(row.idempotency_key)?.eventId).toBe(row.id);
    }

    // Exactly one run per key, each finished on the harness's worker.
    const { runIds, completed } = await runsOfWorkflow(h, workflowId, DELIVERIES);
    expect(new Set(runIds)).toEqual(new Set([...acked.keys()].map((key) => runWorkflowId(workflowId, key))));
    expect(runIds).toHaveLength(DELIVERIES);
    expect(completed).toBe(DELIVERIES);

    const duplicates = [...acked.values()].filter((reply) => reply.duplicate).length;
    console.log(
      `[faults-server-restart] ${DELIVERIES} deliveries, ${attempts} attempts (${refused} answered other than 202), ` +
        `${duplicates} acknowledged as duplicates of an event stored before a restart; ${rows.length} events, ` +
        `${runIds.length} runs (${completed} completed)`,
    );
  }, 300_000);
});
