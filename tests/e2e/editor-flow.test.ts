// The editor end to end, in Debian's Chromium against the real product (server + worker on the test
// services): draw a workflow, get refused an ill-typed edge, configure, publish, run, approve the
// review, inspect the run, replay it, re-run from a node and read the diff.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { launchBrowser, screenshot, type Browser } from './support/browser.ts';
import { policyForbidsEval } from './support/csp.ts';
import { connect, dragFromPalette, edgeCount, handleOf, nodeOnCanvas } from './support/canvas.ts';
import type { PageGlobals } from './support/page-globals.ts';
import { rememberAndRecall } from './support/memory-workflow.ts';
import { buildEditor, startProduct, type Product } from './support/product.ts';

const services = inject('services');

/** expect.poll with room for a loaded machine (its default gives up after one second). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
let product: Product;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shots: string[] = [];
/** The server's Content-Security-Policy for the editor's page. */
let contentSecurityPolicy = '';

/** Later steps need the editor to load and every route to answer; the first two tests say why not. */
function requireEditor(context: TestContext): void {
  if (product.missingRoutes.length > 0) context.skip();
}

async function shot(name: string, target: Page = page, fullPage = false) {
  shots.push(await screenshot(target, name, { fullPage }));
}

/** What the run's input gives the transform: items whose amounts it sums. */
const runInput = { data: { items: [{ amount: 2 }, { amount: 3 }] } };

describe('editor, review queue and run inspector in Chromium', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    buildEditor();
    product = await startProduct(services);
    contentSecurityPolicy = (await fetch(`${product.baseUrl}/workflows`)).headers.get('content-security-policy') ?? '';
    browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await product?.close();
    if (shots.length > 0) console.log(`screenshots:\n${shots.join('\n')}`);
  });

  let workflowId = '';
  let runId = '';

  it('serves every route the editor calls', () => {
    expect(product.missingRoutes).toEqual([]);
  });

  it("serves the editor with a Content-Security-Policy that forbids eval (no 'unsafe-eval' in script-src)", () => {
    expect(policyForbidsEval(contentSecurityPolicy), `the server's CSP: "${contentSecurityPolicy}"`).toBe(true);
  });

  it('draws a three-node workflow from the palette and refuses an ill-typed edge with the reason', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/workflows`);
    await page.getByLabel('New workflow name').fill('E2E review flow');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.waitForURL(/\/workflows\/[^/]+$/);
    workflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.locator('.palette-item').first().waitFor();
    expect(pageErrors, 'the editor loads without errors').toEqual([]);

    await dragFromPalette(page, 'trigger', 60, 80);
    await dragFromPalette(page, 'transform', 320, 80);
    await dragFromPalette(page, 'human-review', 320, 330);
    await dragFromPalette(page, 'extract', 60, 360);
    for (const id of ['trigger_1', 'transform_1', 'human-review_1', 'extract_1'])
      await eventually(() => nodeOnCanvas(page, id).count()).toBe(1);
    // A transform without its expression is invalid as drawn: the shared validation says so on the node.
    await expect
      .poll(() => nodeOnCanvas(page, 'transform_1').locator('.wf-node-errors').textContent())
      .toContain('expression');

    // trigger.data is any object; extract.event must be an Event: refused, and the toast says why.
    await connect(page, ['trigger_1', 'data'], ['extract_1', 'event']);
    const refusal = page.locator('.toast-error').filter({ hasText: 'Not connected' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('the output has no "id", which the input requires');
    expect(await edgeCount(page)).toBe(0);
    await shot('01-editor-refused-edge');

    // Delete the extra node with the keyboard; undo brings it back, redo removes it again.
    await nodeOnCanvas(page, 'extract_1').click();
    await page.keyboard.press('Delete');
    await eventually(() => nodeOnCanvas(page, 'extract_1').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await eventually(() => nodeOnCanvas(page, 'extract_1').count()).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await eventually(() => nodeOnCanvas(page, 'extract_1').count()).toBe(0);
    // Copy and paste a node (it arrives selected, beside the original), then delete the copy.
    await nodeOnCanvas(page, 'transform_1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await eventually(() => nodeOnCanvas(page, 'transform_2').count()).toBe(1);
    await page.keyboard.press('Delete');
    await eventually(() => nodeOnCanvas(page, 'transform_2').count()).toBe(0);

    await connect(page, ['trigger_1', 'data'], ['transform_1', 'value']);
    await connect(page, ['transform_1', 'value'], ['human-review_1', 'value']);
    await eventually(() => edgeCount(page)).toBe(2);
    expect(await handleOf(page, 'human-review_1', 'value', 'target').getAttribute('class')).toContain('connectable');
  });

  it('shows an invalid config value on the field (client and server) and accepts a valid one', async (context) => {
    requireEditor(context);
    await nodeOnCanvas(page, 'transform_1').click();
    await page.getByLabel('JSONata expression').fill('{ "total": $sum(items.amount) }');
    await eventually(() => nodeOnCanvas(page, 'transform_1').locator('.wf-node-errors').count()).toBe(0);

    await nodeOnCanvas(page, 'human-review_1').click();
    const timeout = page.getByLabel('Time to decide (minutes)');
    await timeout.fill('-5');
    const fieldError = page.locator('.side-panel .form-group.has-error .error-detail');
    await eventually(() => fieldError.first().textContent()).toContain('must be > 0');
    // The server's validation names the same field; it lands on the node and on the field.
    await page.getByRole('button', { name: /^Check/ }).click();
    await page.locator('.toast-error').filter({ hasText: 'The server finds' }).waitFor();
    const fromServer = nodeOnCanvas(page, 'human-review_1').locator('.wf-node-errors li[data-source="server"]');
    expect(await fromServer.textContent()).toContain('/timeoutMinutes: must be > 0');
    expect(await page.locator('.side-panel .problem-list li[data-source="server"]').textContent()).toContain(
      'timeoutMinutes',
    );
    await shot('02-editor-invalid-config');

    await timeout.fill('30');
    await eventually(() => fieldError.count()).toBe(0);
    await eventually(() => nodeOnCanvas(page, 'human-review_1').locator('.wf-node-errors').count()).toBe(0);
    await page.getByRole('button', { name: /^Check/ }).click();
    await page.locator('.toast-success').filter({ hasText: 'The server finds no problems' }).waitFor();
  });

  it('tidies the layout, saves and publishes a version', async (context) => {
    requireEditor(context);
    const before = await nodeOnCanvas(page, 'human-review_1').getAttribute('style');
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await eventually(() => nodeOnCanvas(page, 'human-review_1').getAttribute('style')).not.toBe(before);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.toast-success').filter({ hasText: 'Published version 1' }).waitFor();
    expect(await page.locator('.save-state').textContent()).toBe('Saved');
    const stored = await product.api<{ workflow: { graph: { nodes: { id: string }[]; edges: unknown[] } } }>(
      'GET',
      `/api/workflows/${encodeURIComponent(workflowId)}`,
    );
    expect(stored.body.workflow.graph.nodes.map((n) => n.id).sort()).toEqual([
      'human-review_1',
      'transform_1',
      'trigger_1',
    ]);
    expect(stored.body.workflow.graph.edges).toHaveLength(2);
    await page.locator('.canvas').click({ position: { x: 5, y: 5 } });
    await shot('03-editor-published');

    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('dialog', { name: 'Published versions' }).getByRole('cell', { name: 'v1' }).waitFor();
    await shot('04-editor-versions');
    await page.getByRole('dialog', { name: 'Published versions' }).getByRole('button', { name: 'Close' }).click();
  });

  it('exports the workflow as JSON and imports the file as a new workflow', async (context) => {
    requireEditor(context);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = path.join(tmpdir(), `trellis-e2e-${Date.now()}.trellis.json`);
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; graph: { nodes: unknown[] } };
    expect(exported.format).toBe('trellis-workflow');
    // The editor's file carries the same content hash as the server's export, and it matches.
    expect((exported as { contentHash?: string }).contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(exported.graph.nodes).toHaveLength(3);

    const importer = await browser.context.newPage();
    await importer.goto(`${product.baseUrl}/workflows`);
    await importer.getByLabel('Import a workflow file').setInputFiles(file);
    await importer.waitForURL(/\/workflows\/[^/]+$/);
    expect(importer.url()).not.toContain(encodeURIComponent(workflowId));
    await eventually(() => importer.locator('.react-flow__node').count()).toBe(3);
    await eventually(() => importer.locator('.react-flow__edge').count()).toBe(2);
    await importer.close();
    rmSync(file, { force: true });
  });

  it('runs the published version with an input and shows it live, waiting for the review', async (context) => {
    requireEditor(context);
    await page.getByRole('button', { name: 'Run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run workflow' });
    await dialog.getByRole('button', { name: 'JSON' }).click();
    await dialog.getByLabel('Run input (JSON)').fill(JSON.stringify(runInput));
    await shot('05-run-dialog');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[^/]+$/);
    runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.locator('.run-node[aria-label="human-review_1: waiting"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.run-node[aria-label="transform_1: completed"]').count()).toBe(1);
    await shot('06-run-waiting');
  });

  it('approves the review in the queue, with its context', async (context) => {
    requireEditor(context);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    const card = page.locator('.task-card').filter({ hasText: 'human-review_1' });
    await card.waitFor();
    expect(await card.getByRole('group', { name: 'Proposed value' }).textContent()).toContain('total');
    await shot('07-review-queue');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.toast-success').filter({ hasText: 'approved' }).waitFor();
    await page.getByRole('heading', { name: 'Nothing waits for you' }).waitFor();
    await shot('08-review-queue-empty');
  });

  it('inspects the finished run: every node with its input and output', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/runs/${encodeURIComponent(runId)}`);
    await page.locator('.facts .badge-completed').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Expand all' }).click();
    for (const nodeId of ['trigger_1', 'transform_1', 'human-review_1']) {
      const entry = page.locator(`.ledger-entry[data-node-id="${nodeId}"]`);
      await entry.getByRole('group', { name: `Output of ${nodeId}` }).waitFor();
      expect(await entry.getByRole('group', { name: `Input of ${nodeId}` }).count()).toBe(1);
    }
    const output = (nodeId: string) =>
      page
        .locator(`.ledger-entry[data-node-id="${nodeId}"]`)
        .getByRole('group', { name: `Output of ${nodeId}` })
        .textContent();
    expect(await output('transform_1')).toContain('total: 5');
    expect(await output('human-review_1')).toContain('"approved"');
    expect(
      await page
        .locator('.ledger-entry[data-node-id="transform_1"]')
        .getByRole('group', { name: 'Input of transform_1' })
        .textContent(),
    ).toContain('amount: 2');
    const temporalLink = page.getByRole('link', { name: /Temporal Web UI/ });
    expect(await temporalLink.getAttribute('href')).toBe(
      `${product.temporalUiUrl}/namespaces/${encodeURIComponent(services.temporal.namespace)}/workflows/${encodeURIComponent(runId)}`,
    );
    await page.locator('.timeline-bar').first().waitFor();
    await shot('09-run-inspector', page, true);
  });

  it('replays the run as a determinism check', async (context) => {
    requireEditor(context);
    await page.getByRole('button', { name: 'Replay (determinism check)' }).click();
    const verdict = page.locator('.action-row [role="status"]');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toContain('Deterministic');
  });

  it('re-runs from a node, takes an edit in the queue, and shows the diff side by side', async (context) => {
    requireEditor(context);
    await page.getByLabel('Re-run from node').selectOption('transform_1');
    await page.getByRole('button', { name: 'Re-run from here' }).click();
    await page.getByText('Waiting for the re-run to finish').waitFor({ timeout: 30_000 });

    // The re-run asks for the review again; this time the reviewer edits the value.
    const queue = await browser.context.newPage();
    await queue.goto(`${product.baseUrl}/reviews`);
    const card = queue.locator('.task-card').filter({ hasText: 'human-review_1' });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: /^Edit/ }).click();
    await card.getByLabel('Edited value (JSON)').fill(JSON.stringify({ total: 6 }));
    await shot('10-review-edit', queue);
    await card.getByRole('button', { name: 'Save edit' }).click();
    await queue.locator('.toast-success').filter({ hasText: 'edited' }).waitFor();
    await queue.close();

    const review = page.locator('.diff-node[data-node-id="human-review_1"]');
    await review.waitFor({ timeout: 60_000 });
    expect(await review.locator('.badge').first().textContent()).toBe('changed');
    const row = review.locator('tr').filter({ hasText: '/value/total' });
    expect(await row.locator('.diff-before').textContent()).toBe('5');
    expect(await row.locator('.diff-after').textContent()).toBe('6');
    expect(await page.locator('.diff-node[data-node-id="transform_1"] .badge').first().textContent()).toBe('same');
    await shot('11-rerun-diff', page, true);
  });

  it('lists runs with status, duration and cost, and filters them', async (context) => {
    requireEditor(context);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    const filters = page.getByRole('search', { name: 'Filter runs' });
    await filters.getByLabel('Workflow', { exact: true }).selectOption(workflowId);
    await eventually(() => page.locator('tbody tr').count()).toBe(2);
    await filters.getByLabel('Status', { exact: true }).selectOption('completed');
    await eventually(() => page.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('tbody .badge-completed').count()).toBe(2);
    await shot('12-runs-list');
  });

  it('shows the template gallery, metrics and services', async (context) => {
    requireEditor(context);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.locator('.card').first().waitFor();
    expect(await page.locator('.card .graph-preview').count()).toBeGreaterThan(0);
    await shot('13-templates');
    // A template that needs no parameters (the mail ones need an account): meeting notes to tasks.
    await page
      .locator('.card')
      .filter({ hasText: 'Meeting notes' })
      .first()
      .getByRole('button', { name: 'Use template' })
      .click();
    // The parameters form shows once its validator (compiled by the server) has loaded.
    await page.locator('dialog[open]').getByRole('button', { name: 'Create workflow' }).waitFor();
    await shot('14-template-parameters');
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Workflow name').fill('Tasks from the gallery');
    await dialog.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL(/\/workflows\/[^/]+$/);
    await eventually(() => page.locator('.react-flow__node').count()).toBeGreaterThan(3);
    expect(await page.locator('.toolbar-title strong').textContent()).toBe('Tasks from the gallery');
    await shot('15-editor-from-template');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
    await page.locator('.chart-panel, .empty-state').first().waitFor();
    await shot('16-metrics');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
    await page.locator('.health-table').waitFor();
    await shot('17-services');
    expect(pageErrors).toEqual([]);
  });

  it('shows the retrieval fingerprint and each record with its source', async (context) => {
    requireEditor(context);
    // Remember a note, then search for it: both in one run, built and started through the API.
    const graph = rememberAndRecall;
    const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name: graph.name,
      graph,
    });
    expect(created.status).toBe(201);
    const id = encodeURIComponent(created.body.workflow.id);
    expect((await product.api('POST', `/api/workflows/${id}/publish`, {})).status).toBe(201);
    const started = await product.api<{ runId: string }>('POST', `/api/workflows/${id}/runs`, {
      input: { data: { note: 'The client wants invoices in euros, sent on the first of the month.' } },
    });
    expect(started.status).toBe(202);

    await page.goto(`${product.baseUrl}/runs/${encodeURIComponent(started.body.runId)}`);
    await page.locator('.facts .badge-completed').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Expand all' }).click();
    const recall = page.locator('.ledger-entry[data-node-id="recall"]');
    const retrieval = recall.getByRole('region', { name: 'Retrieved memory' });
    await retrieval.waitFor();
    expect(await retrieval.getByText('Fingerprint').count()).toBe(1);
    const record = retrieval.getByRole('list', { name: 'Retrieved records' }).locator('li').first();
    expect(await record.textContent()).toContain('invoices in euros');
    expect(await record.textContent()).toContain('doc://e2e/client-notes');
    await retrieval.scrollIntoViewIfNeeded();
    await shot('18-run-retrieval');
  });

  it('works in a narrow window', async (context) => {
    requireEditor(context);
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 640, height: 900 });
    await narrow.goto(`${product.baseUrl}/workflows/${encodeURIComponent(workflowId)}`);
    await narrow.locator('.react-flow__node').first().waitFor();
    expect(await narrow.locator('.palette').isVisible()).toBe(true);
    expect(await narrow.locator('.side-panel').isVisible()).toBe(true);
    // Nothing sticks out sideways: the page does not scroll horizontally.
    expect(
      await narrow.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(640);
    await shot('19-editor-narrow', narrow);
    await narrow.goto(`${product.baseUrl}/runs/${encodeURIComponent(runId)}`);
    await narrow.locator('.facts .badge-completed').waitFor();
    await shot('20-run-narrow', narrow, true);
    await narrow.close();
  });
});
