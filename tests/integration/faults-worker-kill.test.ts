import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';
import { until } from '../support/until.ts';

const workerScript = path.resolve(import.meta.dirname, '../support/worker-process.ts');

describe('a worker killed with SIGKILL in the middle of an activity', () => {
  const services = inject('services');
  let h: Harness;
  const workers: ChildProcess[] = [];

  async function startWorker(): Promise<ChildProcess> {
    const child = fork(workerScript, [], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: services.temporal.address,
        TEMPORAL_NAMESPACE: services.temporal.namespace,
        TRELLIS_TASK_QUEUE: h.taskQueue,
        DATABASE_URL: services.postgres.url,
        TRELLIS_POSTGRES_EMBEDDED: String(services.postgres.embedded),
        TRELLIS_DATA_DIR: services.dataDir,
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    workers.push(child);
    await once(child, 'message');
    return child;
  }

  beforeAll(async () => {
    h = await startHarness(services, { worker: false });
  });
  afterAll(async () => {
    for (const child of workers) child.kill('SIGKILL');
    await h.close();
  });

  /** A run whose middle step sleeps 4 s and records its side effect; with the step's key. */
  async function startSlowRun(order: number) {
    const plan = h.compile(
      graph(
        'kill',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['slow', 'test.effect', { sleepMs: 4000 }],
          ['after', 'test.echo'],
        ],
        ['start.data -> slow.value', 'slow.key -> after.value'],
      ),
    );
    const { handle } = await h.start(plan, { data: { order } });
    return { handle, key: `${handle.workflowId}/slow` };
  }

  /** The pid of the worker the step first started on; fails after 20 s with what it saw. */
  const startedOn = (key: string) =>
    until(
      `the step ${key} to start on a worker`,
      async () =>
        (
          await h.db
            .query<{ pid: number }>('select pid from test_attempts where key = $1 order by id limit 1', [key])
            .catch(() => ({ rows: [] as { pid: number }[] }))
        ).rows[0]?.pid,
      { timeoutMs: 20_000 },
    );

  it('lets the run complete on a new worker, with the side effect done exactly once', async () => {
    const first = await startWorker();
    const { handle, key } = await startSlowRun(42);
    // Wait until the activity is running in the first worker, then kill that process outright.
    expect(await startedOn(key)).toBe(first.pid);
    first.kill('SIGKILL');
    await once(first, 'exit');

    const second = await startWorker();
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.outputs.after).toEqual({ value: key });

    const effects = await h.db.query<{ pid: number }>('select pid from test_effects where key = $1', [key]);
    expect(effects.rows).toEqual([{ pid: second.pid }]);
    const attempts = await h.db.query<{ attempt: number; pid: number }>(
      'select attempt, pid from test_attempts where key = $1 order by id',
      [key],
    );
    expect(attempts.rows.map((row) => row.pid)).toEqual([first.pid, second.pid]);
    expect(attempts.rows.map((row) => row.attempt)).toEqual([1, 2]);
  }, 120_000);

  // Scaling out (docs/operations.md): two worker processes poll the same task queue of an external
  // Temporal and share the source of truth; losing the one running a step loses nothing.
  it('finishes on the other of two running workers when the one running the step is killed', async () => {
    // Only this test's two workers poll the queue.
    for (const child of workers.splice(0))
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    const pair = [await startWorker(), await startWorker()];
    const { handle, key } = await startSlowRun(43);
    const runningOn = await startedOn(key);
    const victim = pair.find((child) => child.pid === runningOn);
    const survivor = pair.find((child) => child.pid !== runningOn);
    expect(victim, `the step started on pid ${String(runningOn)}, not on one of this test's workers`).toBeDefined();
    victim!.kill('SIGKILL');
    await once(victim!, 'exit');

    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.outputs.after).toEqual({ value: key });
    const effects = await h.db.query<{ pid: number }>('select pid from test_effects where key = $1', [key]);
    expect(effects.rows).toEqual([{ pid: survivor!.pid }]);
  }, 120_000);
});
