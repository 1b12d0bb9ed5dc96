import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../services/health.ts';
import { graph } from '../support/graph-builder.ts';
import { eventually, startUp, type UpProcess } from '../support/trellis-up.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');

// `./trellis up` as an operator runs it: a child killed outright is started again by the
// supervisor while the server keeps answering, and runs complete afterwards.
describe('trellis up supervising its children', () => {
  let up: UpProcess;
  let workflowId = '';
  let serverPid: number | undefined;
  const serverFailures: string[] = [];
  let watching = true;
  let watcher: Promise<void> = Promise.resolve();

  const api = async <T>(method: string, route: string, body?: unknown) => {
    const response = await fetch(`${up.base}/api${route}`, {
      method,
      headers: {
        authorization: `Bearer ${up.token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const health = async () => (await api<HealthReport>('GET', '/health')).body;
  const saw = () => `trellis up printed:\n${up.output()}\nworker log:\n${up.logTail('worker')}`;

  async function runCompletes(label: string, timeoutMs: number): Promise<void> {
    const started = await api<{ runId: string }>('POST', `/workflows/${workflowId}/runs`, {
      input: { data: { items: [1, 2, label.length] } },
      idempotencyKey: `${label}-${Date.now()}`,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const status = await eventually(
      `run ${started.body.runId} (${label}) to finish`,
      async () => {
        const { body } = await api<{ run?: { status: string } }>(
          'GET',
          `/runs/${encodeURIComponent(started.body.runId)}`,
        );
        return body.run && body.run.status !== 'running' ? body.run.status : undefined;
      },
      timeoutMs,
      saw,
    );
    expect(status).toBe('completed');
  }

  async function killAndAwaitRestart(name: string, timeoutMs: number): Promise<void> {
    const before = (await health()).processes?.[name];
    const pid = up.pid(name);
    expect(pid, `run/${name}.pid`).toBeDefined();
    process.kill(pid ?? 0, 'SIGKILL');
    const after = await eventually(
      `a new ${name} after SIGKILL of pid ${pid}`,
      async () => {
        const child = (await health()).processes?.[name];
        return child?.state === 'running' && child.pid !== pid && up.pid(name) === child.pid ? child : undefined;
      },
      timeoutMs,
      () => `${saw()}\n${name} log:\n${up.logTail(name)}`,
    );
    expect(after.restarts).toBe((before?.restarts ?? 0) + 1);
    expect(after.lastExit).toBe('SIGKILL');
    expect(up.output()).toContain(`${name} exited unexpectedly (SIGKILL); restarting in`);
  }

  beforeAll(async () => {
    up = await startUp();
    serverPid = up.pid('server');
    // The server must answer every request while its siblings die and come back.
    watcher = (async () => {
      while (watching) {
        await fetch(`${up.base}/api/health`).catch((error: Error) =>
          serverFailures.push(`${new Date().toISOString()} ${error.message}`),
        );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const created = await api<{ workflow: { id: string } }>('POST', '/workflows', {
      name: 'Supervised sum',
      graph: graph(
        'Supervised sum',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['sum', 'transform', { expression: '$sum(items)' }],
        ],
        ['start.data -> sum.value'],
      ),
    });
    workflowId = created.body.workflow.id;
    expect((await api('POST', `/workflows/${workflowId}/publish`, {})).status).toBe(201);
    await runCompletes('before', 60_000);
  }, 660_000);

  afterAll(async () => {
    watching = false;
    await watcher;
    await up?.close();
  }, 60_000);

  it('restarts a worker killed with SIGKILL, and runs complete on the new one', async () => {
    await killAndAwaitRestart('worker', 60_000);
    await runCompletes('after-worker-kill', 90_000);
    expect(up.pid('server')).toBe(serverPid);
    expect(serverFailures).toEqual([]);
  }, 200_000);

  it('restarts a Temporal dev server killed with SIGKILL, and runs complete afterwards', async () => {
    await killAndAwaitRestart('temporal', 90_000);
    await eventually(
      'Temporal reachable again in /api/health',
      async () => ((await health()).services.temporal.reachable ? true : undefined),
      30_000,
      saw,
    );
    await runCompletes('after-temporal-kill', 120_000);
    expect(up.pid('server')).toBe(serverPid);
    expect(serverFailures).toEqual([]);
    const report = await health();
    expect(report.processes?.server).toMatchObject({ state: 'running', restarts: 0 });
  }, 300_000);

  it('restarts Weaviate and the PGlite server killed with SIGKILL; the server keeps answering', async () => {
    await killAndAwaitRestart('weaviate', 150_000);
    await killAndAwaitRestart('pglite', 120_000);
    const report = await eventually(
      'every service reachable and every process running in /api/health',
      async () => {
        const body = await health();
        return body.ok ? body : undefined;
      },
      60_000,
      saw,
    );
    expect(report.services.weaviate.reachable).toBe(true);
    expect(report.services.postgres.reachable).toBe(true);
    await runCompletes('after-pglite-kill', 120_000);
    expect(up.pid('server')).toBe(serverPid);
    expect(serverFailures).toEqual([]);
  }, 400_000);

  it('shows the restarts in `trellis health`, which sends the CLI token', async () => {
    const { stdout } = await run(process.execPath, [cli, 'health'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRELLIS_DATA_DIR: up.dataDir,
        TRELLIS_PORT: new URL(up.base).port,
      },
    });
    expect(stdout).toMatch(/^worker +running, [1-9]\d* restart\(s\), last exit \S+$/m);
    expect(stdout).toMatch(/^temporal +up, 1\.\d+/m);
  });
});
