// Issue 19, bad-input rows seen in the browser: a name with right-to-left override characters is
// shown as written (its bidi controls visible, isolated from the text around it), and a URL with
// broken percent-encoding opens the editor's not-found page instead of raw JSON.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graph } from '../support/graph-builder.ts';
import { screenshot } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('bad input in the browser', { timeout: 180_000 }, () => {
  let editor: EditorPage;
  let product: Product;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    editor = await openEditorPage(services, 20_000);
    ({ product, page, pageErrors } = editor);
  }, 240_000);
  afterAll(async () => {
    await editor?.close();
  });

  it('shows a name with a right-to-left override as written, its controls visible', async () => {
    // "Invoice<RLO>gpj.exe" renders as "Invoiceexe.jpg" when the override is obeyed.
    const name = `Invoice\u202Egpj.exe ${Date.now().toString(36)}`;
    const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name,
      graph: graph(name, [['start', 'trigger', { kind: 'manual' }]], []),
    });
    expect(created.status).toBe(201);
    await page.goto(`${product.baseUrl}/workflows`);
    const link = page.locator(`a[href="/workflows/${created.body.workflow.id}"]`);
    await link.waitFor();
    const shown = (await link.innerText()).trim();
    expect(shown).toContain('Invoice⟨U+202E⟩gpj.exe');
    expect(shown).not.toContain('\u202E');
    const isolation = `getComputedStyle(document.querySelector('a[href="/workflows/${created.body.workflow.id}"] bdi')).unicodeBidi`;
    expect(await page.evaluate(isolation)).toBe('isolate');
    console.log(`screenshot: ${await screenshot(page, 'bad-input-bidi-name')}`);

    await page.goto(`${product.baseUrl}/workflows/${created.body.workflow.id}`);
    const title = page.locator('.toolbar-title strong');
    await title.waitFor();
    expect(await title.innerText()).toContain('Invoice⟨U+202E⟩gpj.exe');
    // The name as stored is unchanged: only its display escapes the control.
    const stored = await product.api<{ workflow: { name: string } }>(
      'GET',
      `/api/workflows/${created.body.workflow.id}`,
    );
    expect(stored.body.workflow.name).toBe(name);
    expect(pageErrors).toEqual([]);
  });

  it('answers a URL with broken percent-encoding with the editor and its not-found page', async () => {
    const response = await fetch(`${product.baseUrl}/runs/%E0%A4%A`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/not-found');
    const page_ = await fetch(`${product.baseUrl}/runs/%E0%A4%A`, { headers: { accept: 'text/html' } });
    expect(page_.status).toBe(200);
    expect(page_.headers.get('content-type')).toMatch(/text\/html/);
    expect(page_.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page_.text()).toMatch(/<div id="root">/);
    // An API caller still gets JSON naming the URL.
    const api = await fetch(`${product.baseUrl}/api/runs/%E0%A4%A`, {
      headers: { authorization: `Bearer ${product.token}` },
    });
    expect(api.status).toBe(400);
    expect(((await api.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/url');
    expect((await fetch(`${product.baseUrl}/api/health`)).status).toBeLessThan(600);

    await page.goto(`${product.baseUrl}/runs/%E0%A4%A`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('Nothing lives at this address');
    console.log(`screenshot: ${await screenshot(page, 'bad-input-bad-url')}`);
    expect(pageErrors).toEqual([]);
  });

  it('shows that an imported file was changed since its export and imports it only when asked to', async () => {
    const created = await product.api<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name: 'Exported for tampering',
      graph: graph('Exported for tampering', [['start', 'trigger', { kind: 'manual' }]], []),
    });
    const exported = await product.api<Record<string, unknown>>(
      'GET',
      `/api/workflows/${created.body.workflow.id}/export`,
    );
    const tampered = { ...exported.body, name: 'Tampered import' };
    const file = path.join(tmpdir(), `trellis-tampered-${Date.now()}.trellis.json`);
    writeFileSync(file, JSON.stringify(tampered));
    await page.goto(`${product.baseUrl}/workflows`);
    const asked: string[] = [];
    // Declined first: nothing is imported.
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel('Import a workflow file').setInputFiles(file);
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBe(1);
    expect(asked[0]).toMatch(/was changed after it was exported.*Import anyway\?/s);
    const listed = await product.api<{ workflows: { name: string }[] }>('GET', '/api/workflows');
    expect(listed.body.workflows.filter((w) => w.name === 'Tampered import')).toHaveLength(0);
    // Accepted: imported as it is.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Import a workflow file').setInputFiles(file);
    await page.waitForURL(/\/workflows\/[^/]+$/);
    await expect
      .poll(
        async () =>
          (await product.api<{ workflows: { name: string }[] }>('GET', '/api/workflows')).body.workflows.filter(
            (w) => w.name === 'Tampered import',
          ).length,
        { timeout: 10_000 },
      )
      .toBe(1);
    rmSync(file, { force: true });
    expect(pageErrors).toEqual([]);
  });
});
