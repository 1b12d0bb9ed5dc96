// Issue 22 in Chromium: an agent run whose model (an OpenAI-compatible stub the worker calls)
// searches memory on its own, then asks to remember a note; the person approves that tool call from
// the review queue, and the run inspector shows the agent's steps in order with the approval point,
// each step's tokens and the budget used.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { toolCallReply } from '../support/agent-model-stub.ts';
import { graph } from '../support/graph-builder.ts';
import { screenshot } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('an agent run in Chromium: approving its tool call and reading its steps', { timeout: 240_000 }, () => {
  let stub: OpenAIStub;
  let editor: EditorPage;
  let product: Product;
  let page: Page;
  let pageErrors: string[];
  let runId = '';
  const note = `Ada prefers calls on Tuesdays (${Date.now().toString(36)}).`;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    editor = await openEditorPage(services, 30_000, {
      TRELLIS_LLM_BASE_URL: stub.baseUrl,
      TRELLIS_LLM_MODEL: 'stub-agent',
      TRELLIS_LLM_API_KEY: 'sk-agent-e2e',
    });
    ({ product, page, pageErrors } = editor);
  }, 300_000);
  afterAll(async () => {
    await editor?.close();
    await stub?.close();
  });

  it('asks before the side-effecting call; the person approves it in the review queue', async () => {
    stub.enqueue(
      toolCallReply([{ name: 'retrieve', arguments: { query: 'how Ada likes to be called' } }]),
      toolCallReply([{ name: 'remember', arguments: { content: note } }]),
      chatCompletion('Noted: Ada prefers Tuesday calls.'),
    );
    const flow = graph(
      'Agent notes',
      [
        ['start', 'trigger', { kind: 'manual' }],
        [
          'notes',
          'agent',
          {
            goal: 'Remember how {{data.name}} likes to be called: {{data.note}}',
            tools: [{ ref: 'node:retrieve', config: { scope: 'all', k: 3 } }, { ref: 'node:remember' }],
            budget: { maxSteps: 5 },
          },
        ],
      ],
      ['start.data -> notes.data'],
    );
    const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name: flow.name,
      graph: flow,
    });
    expect(created.status).toBe(201);
    const id = encodeURIComponent(created.body.workflow.id);
    expect((await product.api('POST', `/api/workflows/${id}/publish`, {})).status).toBe(201);
    const started = await product.api<{ runId: string }>('POST', `/api/workflows/${id}/runs`, {
      input: { data: { name: 'Ada', note } },
    });
    expect(started.status).toBe(202);
    runId = started.body.runId;

    await page.goto(`${product.baseUrl}/reviews`);
    const card = page.locator('.task-card').filter({ hasText: note });
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain('remember');
    console.log(`screenshot: ${await screenshot(page, 'agent-approval-queue')}`);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.toast-success').filter({ hasText: 'approved' }).waitFor();
  });

  it('shows the agent steps in order with the approval point, tokens and budget used', async () => {
    await page.goto(`${product.baseUrl}/runs/${encodeURIComponent(runId)}`);
    await page.locator('.facts .badge-completed').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Expand all' }).click();
    const steps = page.locator('.ledger-entry[data-node-id="notes"]').getByRole('region', { name: 'Agent steps' });
    await steps.waitFor();
    const ids = await Promise.all(
      (await steps.locator('[data-agent-step]').all()).map((item) => item.getAttribute('data-agent-step')),
    );
    expect(ids).toEqual(['1/think', '1/tool/1', '2/think', '2/tool/1', '3/think']);
    const approval = steps.locator('[data-approval-point="2/tool/1"]');
    expect(await approval.textContent()).toMatch(/node:remember by /);
    expect(await steps.locator('[data-agent-step="1/tool/1"]').textContent()).toContain('(auto)');
    expect(await steps.locator('[data-agent-step="1/think"]').textContent()).toContain('30 tokens');
    expect(await steps.getByRole('meter', { name: /Model calls: 3 of 5/ }).count()).toBe(1);
    await steps.scrollIntoViewIfNeeded();
    console.log(`screenshot: ${await screenshot(page, 'agent-run-steps')}`);
    expect(pageErrors).toEqual([]);
  });
});
