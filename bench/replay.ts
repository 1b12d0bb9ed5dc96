// Replay and ledger cost of a large run: builds a history of about 10,000 events (parallel chains
// of no-op activities), then times a determinism replay of it, the ledger built from it, and the
// run inspector opening it in Chromium (the real server and built editor).
// Run: node bench/replay.ts [--chains 2] [--length 975]  (a graph holds at most 2,000 nodes)
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { createBuiltinRegistry } from '../nodes/builtins.ts';
import { startServices } from '../services/stack.ts';
import { connectDb } from '../store/db.ts';
import { connectClient } from '../temporal/client.ts';
import { buildLedger } from '../temporal/ledger.ts';
import { replayHistories } from '../temporal/replay.ts';
import { startRun } from '../temporal/runs.ts';
import { createWorker } from '../temporal/worker.ts';
import { compileGraph } from '../workflows/compile.ts';
import { dbOnlyServices, quietTemporalRuntime } from '../tests/support/interpreter-harness.ts';
import { isolatedConfig, servicesOfStack } from '../tests/setup/test-stack.ts';
import { launchBrowser } from '../tests/e2e/support/browser.ts';
import type { PageGlobals } from '../tests/e2e/support/page-globals.ts';
import { buildEditor, startProduct } from '../tests/e2e/support/product.ts';
import { nodes } from './engine-nodes.ts';

/** Opens the run in the inspector and times the ledger API and the page until every entry is drawn. */
async function timeInspector(runId: string, entryCount: number) {
  buildEditor();
  const product = await startProduct(servicesOfStack(stack, config.dataDir));
  const browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
  try {
    const url = `/api/runs/${encodeURIComponent(runId)}/ledger`;
    const apiTimes: number[] = [];
    let apiMb = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await fetch(`${product.baseUrl}${url}`, {
        headers: { authorization: `Bearer ${product.token}` },
      });
      apiMb = (await response.arrayBuffer()).byteLength / 1e6;
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      apiTimes.push(performance.now() - started);
    }
    const page = await browser.context.newPage();
    const started = performance.now();
    await page.goto(`${product.baseUrl}/runs/${encodeURIComponent(runId)}`);
    await page.getByText('Read from the run’s Temporal history').waitFor({ timeout: 120_000 });
    const summaryMs = performance.now() - started;
    await page.waitForFunction(
      (n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('.ledger-entry').length >= n,
      entryCount,
      { timeout: 120_000 },
    );
    return {
      apiMs: [...apiTimes].sort((a, b) => a - b)[1] ?? NaN,
      apiMb,
      summaryMs,
      entriesMs: performance.now() - started,
    };
  } finally {
    await browser.close();
    await product.close();
  }
}

const { values } = parseArgs({
  options: { chains: { type: 'string', default: '2' }, length: { type: 'string', default: '975' } },
});
const chains = Number(values.chains);
const length = Number(values.length);

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
});
const client = await connectClient(stack.temporal.endpoint);

const graphNodes: {
  id: string;
  type: string;
  version: number;
  config: Record<string, unknown>;
  position: { x: number; y: number };
}[] = [{ id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } }];
const edges = [];
for (let c = 0; c < chains; c++) {
  for (let i = 0; i < length; i++) {
    const id = `c${c}s${i}`;
    graphNodes.push({ id, type: 'bench.step', version: 1, config: {}, position: { x: i, y: c } });
    edges.push({
      id: `e${c}-${i}`,
      source: i === 0 ? 'start' : `c${c}s${i - 1}`,
      sourcePort: i === 0 ? 'data' : 'value',
      target: id,
      targetPort: 'value',
    });
  }
}
const compiled = compileGraph({ name: 'big', nodes: graphNodes, edges }, registry);
if (!compiled.ok) throw new Error(compiled.errors[0]?.message);

const runStarted = performance.now();
const history = await worker.runUntil(async () => {
  const { handle } = await startRun(client, {
    taskQueue,
    plan: compiled.plan,
    workflow: { id: 'bench', version: 1 },
    trigger: { data: {} },
    idempotencyKey: randomUUID(),
  });
  await handle.result();
  return { workflowId: handle.workflowId, history: await handle.fetchHistory() };
});
const runSeconds = (performance.now() - runStarted) / 1000;
const events = history.history.events?.length ?? 0;
const json = historyToJSON(history.history);
const out = path.resolve(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, 'big-history.json'),
  JSON.stringify({ workflowId: history.workflowId, history: JSON.parse(json) as unknown }),
);

const replayStarted = performance.now();
const [replay] = await replayHistories([history]);
const replayMs = performance.now() - replayStarted;

const ledgerTimes: number[] = [];
let entries = 0;
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  entries = buildLedger(history.workflowId, history.history).entries.length;
  ledgerTimes.push(performance.now() - started);
}
const ledgerMs = [...ledgerTimes].sort((a, b) => a - b)[2] ?? NaN;

console.log(
  `\nReplay and ledger of one large run (${chains} parallel chains × ${length} no-op activities), ${new Date().toISOString()}`,
);
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(`| history events | ${events} |`);
console.log(`| history JSON size | ${(json.length / 1e6).toFixed(1)} MB |`);
console.log(`| run time (start → result) | ${runSeconds.toFixed(1)} s |`);
console.log(
  `| determinism replay (Worker.runReplayHistories) | ${(replayMs / 1000).toFixed(2)} s, ${replay?.ok ? 'ok' : `FAILED: ${replay?.error}`} |`,
);
console.log(`| ledger build (median of 5) | ${ledgerMs.toFixed(0)} ms for ${entries} entries |`);
console.log(`history saved to ${path.join(out, 'big-history.json')} (workflow id ${history.workflowId})`);

await close();
const inspector = await timeInspector(history.workflowId, entries);
console.log('\nRun inspector on that run (the real server and built editor, Chromium headless, 1280×800)');
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(
  `| GET /api/runs/:id/ledger (median of 3) | ${inspector.apiMs.toFixed(0)} ms, ${inspector.apiMb.toFixed(1)} MB |`,
);
console.log(`| navigation → ledger summary shown | ${inspector.summaryMs.toFixed(0)} ms |`);
console.log(`| navigation → all ${entries} ledger entries in the DOM | ${inspector.entriesMs.toFixed(0)} ms |`);

await client.connection.close();
await db.close();
await stack.stop();
rmSync(config.dataDir, { recursive: true, force: true });
