// Start throughput and footprint: workflow starts per second through our API vs the raw Temporal
// client against the same server, side by side; and the resident memory of server, worker,
// Temporal and Weaviate at idle and under that load. Prints Markdown tables.
//
//   node bench/throughput.ts [--duration 10] [--concurrency 16]
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliTokenPath } from '../server/lib/first-token.ts';
import { startProcess, waitFor, type ManagedProcess } from '../services/child-process.ts';
import { serviceEnv, startServices } from '../services/stack.ts';
import { connectClient } from '../temporal/client.ts';
import { isolatedConfig } from '../tests/setup/test-stack.ts';
import { benchDatabase } from './support/bench-database.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' } },
});
const DURATION = Number(values.duration) * 1000;
const CONCURRENCY = Number(values.concurrency);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const cli = path.resolve(import.meta.dirname, '../bin/trellis.ts');

function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.replace(/\D+/g, '') ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

const database = await benchDatabase({ ...process.env, TEMPORAL_ADDRESS: '', WEAVIATE_URL: '' });
const config = await isolatedConfig(database.env, 'trellis-bench-');
const stack = await startServices(config, log);
const env = {
  ...process.env,
  ...serviceEnv(stack),
  TRELLIS_DATA_DIR: config.dataDir,
  TRELLIS_PORT: String(config.port),
  TRELLIS_HOST: '127.0.0.1',
  TRELLIS_INSTALL_TEMPLATES: 'false',
  TRELLIS_LOG_LEVEL: 'warn',
};
const runDir = path.join(config.dataDir, 'run');
const children: ManagedProcess[] = ['worker', 'server'].map((name) =>
  startProcess({ name, command: process.execPath, args: [cli, name], env, runDir }),
);
const base = `http://127.0.0.1:${config.port}`;

try {
  await waitFor(
    'server',
    async () => ((await fetch(`${base}/api/health`).catch(() => undefined))?.ok ? true : undefined),
    { timeoutMs: 90_000 },
  );
  const { token } = JSON.parse(readFileSync(cliTokenPath(config.dataDir), 'utf8')) as { token: string };
  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const graph = {
    name: 'Start throughput',
    nodes: [
      { id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } },
      { id: 'echo', type: 'transform', version: 1, config: { expression: '$' }, position: { x: 200, y: 0 } },
    ],
    edges: [{ id: 'e0', source: 'start', sourcePort: 'data', target: 'echo', targetPort: 'value' }],
  };
  const { workflow } = await api<{ workflow: { id: string } }>('POST', '/api/workflows', { name: graph.name, graph });
  await api('POST', `/api/workflows/${workflow.id}/publish`, {});
  const { plan } = await api<{ plan: unknown }>('GET', `/api/workflows/${workflow.id}/versions/1`);

  const pids = {
    server: children[1]?.child.pid,
    worker: children[0]?.child.pid,
    temporal: stack.temporal.process?.child.pid,
    weaviate: stack.weaviate.process?.child.pid,
  };
  const sample = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = sample();

  /** Runs `start` from CONCURRENCY loops for DURATION; returns starts per second and the peak RSS seen. */
  async function measure(start: () => Promise<void>) {
    let count = 0;
    const peak: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const [name, mb] of Object.entries(sample())) peak[name] = Math.max(peak[name] ?? 0, mb);
    }, 500);
    const until = Date.now() + DURATION;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          await start();
          count += 1;
        }
      }),
    );
    clearInterval(sampler);
    return { perSecond: count / ((performance.now() - began) / 1000), peak };
  }

  const client = await connectClient(stack.temporal.endpoint);
  // Warm both paths, then alternate them twice so drift hits both alike.
  const viaApi = () =>
    api('POST', `/api/workflows/${workflow.id}/runs`, { input: { data: { n: 1 } }, idempotencyKey: randomUUID() }).then(
      () => {},
    );
  const viaClient = () =>
    client.workflow
      .start('interpreter', {
        taskQueue: 'trellis',
        workflowId: `run:${workflow.id}:${randomUUID()}`,
        args: [{ plan, workflow: { id: workflow.id, version: 1 }, trigger: { data: { n: 1 } } }],
      })
      .then(() => {});
  await viaApi();
  await viaClient();
  const rounds: { api: number; raw: number; peak: Record<string, number> }[] = [];
  for (let i = 0; i < 2; i++) {
    const raw = await measure(viaClient);
    const viaHttp = await measure(viaApi);
    rounds.push({ api: viaHttp.perSecond, raw: raw.perSecond, peak: viaHttp.peak });
  }
  await client.connection.close();
  const apiRate = rounds.reduce((s, r) => s + r.api, 0) / rounds.length;
  const rawRate = rounds.reduce((s, r) => s + r.raw, 0) / rounds.length;

  console.log(
    `\nWorkflow starts per second, ${CONCURRENCY} concurrent callers, ${DURATION / 1000} s each, mean of 2 alternating rounds`,
  );
  console.log('| path | starts/s |');
  console.log('| --- | ---: |');
  console.log(`| raw Temporal client (client.workflow.start) | ${rawRate.toFixed(1)} |`);
  console.log(`| Trellis API (POST /api/workflows/:id/runs) | ${apiRate.toFixed(1)} |`);
  console.log(`| ratio API / raw | ${(apiRate / rawRate).toFixed(3)} |`);
  console.log(`\nResident memory (MB), idle and peak while starting runs through the API`);
  console.log('| process | idle | under load |');
  console.log('| --- | ---: | ---: |');
  for (const name of Object.keys(pids)) {
    const peak = Math.max(...rounds.map((r) => r.peak[name] ?? NaN));
    console.log(`| ${name} | ${(idle[name] ?? NaN).toFixed(0)} | ${peak.toFixed(0)} |`);
  }
} finally {
  for (const child of [...children].reverse()) await child.stop();
  await stack.stop();
  await database.drop();
  rmSync(config.dataDir, { recursive: true, force: true });
}
