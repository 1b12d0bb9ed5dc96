// Engine overhead: a 40-step linear flow compiled from a graph and run by the interpreter, against
// a hand-written Temporal workflow calling the same activities on the same server, side by side.
// Run: node bench/engine.ts [--runs 7] [--steps 40]
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBuiltinRegistry } from '../nodes/builtins.ts';
import { startServices } from '../services/stack.ts';
import { connectDb } from '../store/db.ts';
import { connectClient } from '../temporal/client.ts';
import { startRun } from '../temporal/runs.ts';
import { createWorker } from '../temporal/worker.ts';
import { compileGraph } from '../workflows/compile.ts';
import { dbOnlyServices, quietTemporalRuntime } from '../tests/support/interpreter-harness.ts';
import { isolatedConfig } from '../tests/setup/test-stack.ts';
import { nodes } from './engine-nodes.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, steps: { type: 'string', default: '40' } },
});
const runs = Number(values.runs);
const steps = Number(values.steps);

const config = await isolatedConfig(
  { ...process.env, TEMPORAL_ADDRESS: '', WEAVIATE_URL: '', DATABASE_URL: '' },
  'trellis-bench-',
);
const stack = await startServices(config, () => {});
quietTemporalRuntime();
const registry = createBuiltinRegistry();
for (const node of nodes) registry.register(node, 'bench');
const db = connectDb(stack.postgres.endpoint);
const taskQueue = `bench-${randomUUID()}`;
const { worker, close } = await createWorker({
  ...stack.temporal.endpoint,
  taskQueue,
  registry,
  services: dbOnlyServices(db),
  workflowsPath: path.resolve(import.meta.dirname, 'engine-workflows.ts'),
});
const client = await connectClient(stack.temporal.endpoint);

function chainGraph(local: boolean, sleepMs: number) {
  const type = local ? 'bench.step-local' : 'bench.step';
  const ids = Array.from({ length: steps }, (_, i) => `s${i}`);
  return {
    name: `chain-${type}-${sleepMs}`,
    nodes: [
      { id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } },
      ...ids.map((id, i) => ({ id, type, version: 1, config: { sleepMs }, position: { x: i, y: 0 } })),
    ],
    edges: ids.map((id, i) => ({
      id: `e${i}`,
      source: i === 0 ? 'start' : `s${i - 1}`,
      sourcePort: i === 0 ? 'data' : 'value',
      target: id,
      targetPort: 'value',
    })),
  };
}

async function timeCompiled(local: boolean, sleepMs: number): Promise<number> {
  const compiled = compileGraph(chainGraph(local, sleepMs), registry);
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '));
  const started = performance.now();
  const { handle } = await startRun(client, {
    taskQueue,
    plan: compiled.plan,
    workflow: { id: 'bench', version: 1 },
    trigger: { data: {} },
    idempotencyKey: randomUUID(),
  });
  const result = await handle.result();
  const elapsed = performance.now() - started;
  if ((result.outputs[`s${steps - 1}`] as { value: number }).value !== steps)
    throw new Error('compiled chain computed the wrong value');
  return elapsed;
}

async function timeHand(local: boolean, sleepMs: number): Promise<number> {
  const started = performance.now();
  const value: unknown = await client.workflow.execute('handChain', {
    taskQueue,
    workflowId: `hand-${randomUUID()}`,
    args: [steps, local, sleepMs],
  });
  const elapsed = performance.now() - started;
  if (value !== steps) throw new Error('hand chain computed the wrong value');
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const variants = [
  { label: `${steps} × 10 ms, activities`, local: false, sleepMs: 10 },
  { label: `${steps} × 10 ms, local activities`, local: true, sleepMs: 10 },
  { label: `${steps} × no-op, activities`, local: false, sleepMs: 0 },
  { label: `${steps} × no-op, local activities`, local: true, sleepMs: 0 },
];

const rows: string[][] = [];
await worker.runUntil(async () => {
  for (const variant of variants) {
    // Warm up both paths (bundles, connections, caches), then alternate so drift hits both alike.
    for (let i = 0; i < 2; i++) {
      await timeCompiled(variant.local, variant.sleepMs);
      await timeHand(variant.local, variant.sleepMs);
    }
    const compiled: number[] = [];
    const hand: number[] = [];
    for (let i = 0; i < runs; i++) {
      compiled.push(await timeCompiled(variant.local, variant.sleepMs));
      hand.push(await timeHand(variant.local, variant.sleepMs));
    }
    const c = median(compiled);
    const h = median(hand);
    rows.push([
      variant.label,
      (c / 1000).toFixed(3),
      (h / 1000).toFixed(3),
      (c / h).toFixed(3),
      (c / steps).toFixed(1),
      (h / steps).toFixed(1),
    ]);
    console.error(`done: ${variant.label}`);
  }
});

const header = ['flow', 'compiled s', 'hand-written s', 'ratio', 'compiled ms/step', 'hand ms/step'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(
  `\nEngine overhead, median of ${runs} runs each (start → result), same server, same worker, ${new Date().toISOString()}`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));

await close();
await client.connection.close();
await db.close();
await stack.stop();
rmSync(config.dataDir, { recursive: true, force: true });
