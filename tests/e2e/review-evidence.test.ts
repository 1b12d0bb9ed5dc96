// The review screen for an extraction the extractor is unsure of, in Chromium: the email with
// every value highlighted where it was read and the set-aside parts shaded, so a person checks in
// seconds. The email is a dev-corpus message the shipped calibration sends to a person.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { extractEmail } from '../../extraction/extract.ts';
import { loadModels } from '../../extraction/models/load.ts';
import { emailInputFromRaw } from '../../nodes/extract/eml.ts';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { corpusFile, readLabels } from '../fixtures/corpus/labels.ts';
import { graph } from '../support/graph-builder.ts';
import { launchBrowser, screenshot, type Browser } from './support/browser.ts';
import { buildEditor, startProduct, type Product } from './support/product.ts';

const services = inject('services');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

/** A dev email routed to a person whose reading has a date, an amount, an action and a client, all with spans. */
async function unsureEmail(): Promise<{ raw: Buffer; result: ExtractionResult; subject: string }> {
  for (const [, label] of Object.entries(readLabels()).sort(([a], [b]) => a.localeCompare(b))) {
    if (label.split !== 'dev') continue;
    const raw = readFileSync(corpusFile(label));
    const input = await emailInputFromRaw(raw, '2030-01-01T00:00:00Z');
    const result = extractEmail(input, { models: loadModels() });
    const clientSpan = result.client?.evidence.some((e) => e.span);
    if (
      result.route === 'person' &&
      result.dates.length &&
      result.amounts.length &&
      result.actions.length &&
      clientSpan
    )
      return { raw, result, subject: input.subject };
  }
  throw new Error('no dev email with every kind of evidence goes to a person');
}

/** The pending review task of the workflow's first run; fails with the runs and logs after 150 s. */
async function waitForReviewTask(product: Product, workflowId: string): Promise<string> {
  const deadline = Date.now() + 150_000;
  let seen = '';
  while (Date.now() < deadline) {
    const runs = await product.api<{ runs: { runId: string; workflowId: string; status: string }[] }>(
      'GET',
      `/api/runs?workflowId=${encodeURIComponent(workflowId)}`,
    );
    seen = JSON.stringify(runs.body);
    for (const run of runs.body.runs ?? []) {
      const reviews = await product.api<{ tasks: { id: string }[] }>(
        'GET',
        `/api/reviews?state=pending&workflowId=${encodeURIComponent(run.runId)}`,
      );
      if (reviews.body.tasks?.[0]) return reviews.body.tasks[0].id;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no review task within 150 s; runs: ${seen}\n${product.logs().slice(-4000)}`);
}

describe('the review screen shows where each extracted value was read', { timeout: 180_000 }, () => {
  let product: Product;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let email: Awaited<ReturnType<typeof unsureEmail>>;
  let pendingTask: string | undefined;

  beforeAll(async () => {
    email = await unsureEmail();
    buildEditor();
    product = await startProduct(services);
    browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);
  afterAll(async () => {
    // The review is rejected, so the shared queue holds none of this suite's tasks.
    if (pendingTask)
      await product
        .api('POST', `/api/reviews/${encodeURIComponent(pendingTask)}/decision`, {
          decision: 'rejected',
          reviewer: 'e2e',
        })
        .catch(() => undefined);
    await browser?.close();
    await product?.close();
  });

  it('highlights dates, amounts, actions and the client, and shades what was set aside', async () => {
    const source = `evidence-${Date.now().toString(36)}`;
    expect((await product.api('POST', '/api/webhook-sources', { name: source, kind: 'email' })).status).toBe(201);
    const g = graph(
      'Check extractions',
      [
        ['start', 'trigger', { kind: 'email', source }],
        ['extract', 'extract', {}],
      ],
      ['start.event -> extract.event'],
    );
    const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name: 'Check extractions',
      graph: g,
    });
    expect(created.status).toBe(201);
    expect((await product.api('POST', `/api/workflows/${created.body.workflow.id}/publish`, {})).status).toBe(201);
    const delivered = await fetch(`${product.baseUrl}/api/ingest/${source}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${product.token}`, 'content-type': 'message/rfc822' },
      body: email.raw,
    });
    expect(delivered.status, product.logs()).toBe(202);
    // Other suites' live routing rules share the database and may route this mail to their own
    // workflow before the one wired to the source: then this test starts its run with the stored event.
    const reply = (await delivered.json()) as { eventId: string; runs?: { workflowId: string }[] };
    if (!reply.runs?.some((run) => run.workflowId === created.body.workflow.id)) {
      const stored = await product.api<{ event: Record<string, unknown> }>('GET', `/api/events/${reply.eventId}`);
      const started = await product.api('POST', `/api/workflows/${created.body.workflow.id}/runs`, {
        input: { event: stored.body.event },
      });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
    }

    // The run's review task, through the API first: under a loaded CI machine the worker may take
    // a while to pick the run up, and the page polls every few seconds.
    const taskId = await waitForReviewTask(product, created.body.workflow.id);
    pendingTask = taskId;
    await page.goto(`${product.baseUrl}/reviews`);
    const card = page.locator(`.task-card[data-task-id="${taskId}"]`);
    await eventually(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain(email.subject.slice(0, 40));
    const evidence = card.getByRole('region', { name: 'What was read' });
    await evidence.waitFor();
    const marked = async (kind: string) => card.locator(`mark[data-kind="${kind}"]`).allTextContents();
    expect(await marked('date')).toEqual(expect.arrayContaining(email.result.dates.map((d) => d.text)));
    expect(await marked('amount')).toEqual(expect.arrayContaining(email.result.amounts.map((a) => a.text)));
    expect((await marked('action')).join(' ')).toContain(email.result.actions[0]!.text.slice(0, 30));
    // The client is drawn where the product's own reading found it. That reading may differ from the
    // local one above: clients other suites stored in the shared database can name this sender from
    // the directory, whose evidence has no place in the text. The page must draw exactly those spans.
    const task = await product.api<{ task: { proposed?: { extraction?: ExtractionResult } } }>(
      'GET',
      `/api/reviews/${encodeURIComponent(taskId)}`,
    );
    const clientSpans = (task.body.task.proposed?.extraction?.client?.evidence ?? []).filter((e) => e.span);
    const clientMarks = await marked('client');
    if (clientSpans.length === 0) expect(clientMarks).toEqual([]);
    else expect(clientMarks.length).toBeGreaterThanOrEqual(clientSpans.length);
    for (const e of clientSpans) expect(clientMarks.join('')).toContain(e.text);
    expect(await card.locator('.evidence-legend').textContent()).toMatch(/Date × \d+.*Amount × \d+.*Action × \d+/);
    expect(await evidence.textContent()).toContain('Asked you because');
    // What the extractor set aside (quoted history, the signature …) is shaded, not hidden.
    const asideParts = email.result.message.segments.filter((s) => s.kind !== 'new' && s.kind !== 'forwarded');
    if (asideParts.length > 0) expect(await card.locator('.evidence-text [data-part]').count()).toBeGreaterThan(0);
    await card.scrollIntoViewIfNeeded();
    console.log(`screenshot: ${await screenshot(page, 'review-evidence', { fullPage: true })}`);
    expect(pageErrors).toEqual([]);
  });
});
