// Editor frame time on a 500-node graph: the real product (services, server, worker, built editor)
// serves a 500-node workflow; Chromium opens it in the editor, then a node is dragged and the canvas
// panned with the real mouse while the page records requestAnimationFrame deltas and long animation
// frames (the browser's own performance APIs). Prints a table.
// Run: node bench/editor-frames.ts [--nodes 500] [--moves 240]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startServices } from '../services/stack.ts';
import { isolatedConfig, servicesOfStack } from '../tests/setup/test-stack.ts';
import { launchBrowser } from '../tests/e2e/support/browser.ts';
import type { PageGlobals } from '../tests/e2e/support/page-globals.ts';
import { buildEditor, startProduct } from '../tests/e2e/support/product.ts';
import type { WorkflowGraph } from '../schemas/workflow-graph.ts';

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '500' }, moves: { type: 'string', default: '240' } },
});
const nodeCount = Number(values.nodes);
const moves = Number(values.moves);

/** A trigger and transforms on a grid, each transform fed by the one before: n nodes, n-1 edges. */
function bigGraph(n: number): WorkflowGraph {
  const columns = Math.ceil(Math.sqrt(n * 1.5));
  const at = (i: number) => ({ x: (i % columns) * 300, y: Math.floor(i / columns) * 180 });
  const nodes: WorkflowGraph['nodes'] = [
    { id: 'n0', type: 'trigger', version: 1, config: { kind: 'manual' }, position: at(0) },
  ];
  const edges: WorkflowGraph['edges'] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, type: 'transform', version: 1, config: { expression: `value + ${i}` }, position: at(i) });
    edges.push({
      id: `e${i}`,
      source: `n${i - 1}`,
      sourcePort: i === 1 ? 'data' : 'value',
      target: `n${i}`,
      targetPort: 'value',
    });
  }
  return { name: `${n} nodes`, nodes, edges };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Recording {
  deltas: number[];
  longFrames: number[];
}

/** Starts recording rAF deltas and long-animation-frame durations in the page. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const state = { deltas: [] as number[], longFrames: [] as number[], running: true };
    page.__frames = state;
    let last = performance.now();
    const tick = (now: number) => {
      state.deltas.push(now - last);
      last = now;
      if (state.running) page.requestAnimationFrame(tick);
    };
    page.requestAnimationFrame(tick);
    try {
      new page.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (state.running) state.longFrames.push(entry.duration);
      }).observe({ type: 'long-animation-frame', buffered: false });
    } catch {
      // Older browsers have no long-animation-frame entries; the rAF deltas still say it all.
    }
  });
}

async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__frames;
    if (!state) throw new Error('not recording');
    state.running = false;
    // The first delta spans the time before recording started.
    return { deltas: state.deltas.slice(1), longFrames: state.longFrames };
  });
}

/** Presses at (x, y) and moves by (dx, dy) per step, `moves` times, like a hand on a 60 Hz mouse. */
async function dragBy(page: Page, x: number, y: number, dx: number, dy: number): Promise<void> {
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) {
    await page.mouse.move(x + dx * i, y + dy * i);
    // One move per frame: wait for the frame this move produced.
    await page.evaluate(
      () => new Promise((resolve) => (globalThis as unknown as PageGlobals).requestAnimationFrame(resolve)),
    );
  }
  await page.mouse.up();
}

const config = await isolatedConfig(
  { ...process.env, TEMPORAL_ADDRESS: '', WEAVIATE_URL: '', DATABASE_URL: '' },
  'trellis-bench-',
);
// Built before the server starts: it serves the files that exist when it starts.
buildEditor();
const stack = await startServices(config, () => {});
const product = await startProduct(servicesOfStack(stack, config.dataDir)).catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});
const browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
try {
  const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
    name: `${nodeCount} nodes`,
    graph: bigGraph(nodeCount),
  });
  if (created.status !== 201)
    throw new Error(`workflow not created: ${created.status} ${JSON.stringify(created.body)}`);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(`${product.baseUrl}/workflows/${encodeURIComponent(created.body.workflow.id)}`);
  await page.waitForFunction(
    (n) => (globalThis as unknown as PageGlobals).document.querySelectorAll('.react-flow__node').length >= n,
    nodeCount,
    {
      timeout: 120_000,
    },
  );
  // Rendered and measured: every node has its size, so React Flow shows them (fitView done).
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as PageGlobals).document.querySelector('.react-flow__node[style*="visibility: hidden"]'),
  );
  const loadMs = await page.evaluate(() => performance.now());
  if (errors.length > 0) throw new Error(`the editor failed: ${errors.join('; ')}`);

  const canvas = await page.locator('.canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');

  const rows: { what: string; inDom: number; zoom: number; recording: Recording }[] = [];
  const view = () =>
    page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const transform = document.querySelector('.react-flow__viewport')?.style.transform ?? '';
      return {
        inDom: document.querySelectorAll('.react-flow__node').length,
        zoom: Number(/scale\(([\d.]+)\)/.exec(transform)?.[1]),
      };
    });

  /** Drags a node near the canvas centre, then pans the canvas, recording frames for each. */
  const measure = async (label: string) => {
    await page.waitForTimeout(500);
    const box = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const area = document.querySelector('.canvas')?.getBoundingClientRect();
      if (!area) return undefined;
      const inside = [...document.querySelectorAll('.react-flow__node')]
        .map((node) => node.getBoundingClientRect())
        .filter(
          (r) => r.left > area.left && r.right < area.right - 60 && r.top > area.top && r.bottom < area.bottom - 60,
        );
      const cx = area.left + area.width / 2;
      const cy = area.top + area.height / 2;
      inside.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy));
      const best = inside[0];
      return best ? { x: best.x, y: best.y, width: best.width, height: best.height } : undefined;
    });
    if (!box) throw new Error('no node wholly on screen');
    const at = await view();
    await startRecording(page);
    await dragBy(page, box.x + Math.min(30, box.width / 3), box.y + Math.min(10, box.height / 4), 1, 0.5);
    rows.push({ what: `${label}: drag one node`, ...at, recording: await stopRecording(page) });
    await startRecording(page);
    await dragBy(page, canvas.x + canvas.width - 40, canvas.y + canvas.height - 40, -1, -0.5);
    rows.push({ what: `${label}: pan the canvas`, ...(await view()), recording: await stopRecording(page) });
  };

  await startRecording(page);
  await page.waitForTimeout(1000);
  rows.push({ what: 'idle, as opened (1 s)', ...(await view()), recording: await stopRecording(page) });
  await measure('as opened');
  // The whole graph on screen: every node in the DOM at once, the worst case.
  await page.getByRole('button', { name: 'Fit view' }).click();
  await measure('all nodes in view');
  if (errors.length > 0) throw new Error(`the editor failed: ${errors.join('; ')}`);

  const moved = await product.api<unknown>('GET', `/api/workflows/${encodeURIComponent(created.body.workflow.id)}`);
  if (moved.status !== 200) throw new Error('workflow vanished');

  console.log(`\nEditor frames, ${nodeCount}-node graph (${nodeCount - 1} edges), Chromium headless, 1280×800`);
  console.log(`load: ${loadMs.toFixed(0)} ms from navigation to ${nodeCount} nodes rendered and measured\n`);
  console.log(
    '| interaction | zoom | nodes in DOM | frames | p50 ms | p95 ms | max ms | long animation frames (> 50 ms) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { what, zoom, inDom, recording } of rows) {
    const sorted = [...recording.deltas].sort((a, b) => a - b);
    const longest =
      recording.longFrames.length > 0 ? ` (longest ${Math.max(...recording.longFrames).toFixed(0)} ms)` : '';
    console.log(
      `| ${what} | ${zoom.toFixed(2)} | ${inDom} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} | ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} | ${recording.longFrames.length}${longest} |`,
    );
  }
} finally {
  await browser.close();
  await product.close();
  await stack.stop();
  rmSync(config.dataDir, { recursive: true, force: true });
}
