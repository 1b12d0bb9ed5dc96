// Issue 22, Settings › MCP in Chromium: an external MCP server registered through the API (the
// test fixture, spawned over stdio with a secret in its environment) is listed with the name of
// its secret only, and "List tools" connects to it and shows its tools. The secret never reaches
// the page.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureServerPath, sha256 } from '../support/mcp-fixture-server.ts';
import { screenshot } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('Settings › MCP in Chromium', { timeout: 180_000 }, () => {
  const secret = `mcp-secret-${randomUUID()}`;
  const name = `fixture tools ${randomUUID().slice(0, 8)}`;
  let editor: EditorPage;
  let product: Product;
  let page: Page;
  let pageErrors: string[];
  let serverId = '';

  beforeAll(async () => {
    editor = await openEditorPage(services, 30_000);
    ({ product, page, pageErrors } = editor);
    const created = await product.api<{ id: string }>('POST', '/api/mcp-servers', {
      name,
      transport: 'stdio',
      command: process.execPath,
      args: [fixtureServerPath, 'stdio', sha256(secret)],
      env: { FIXTURE_TOKEN: secret },
    });
    expect(created.status).toBe(201);
    serverId = created.body.id;
  }, 240_000);
  afterAll(async () => {
    if (serverId) await product?.api('DELETE', `/api/mcp-servers/${serverId}`);
    await editor?.close();
  });

  it('lists the server with its secret by name and shows its tools on request', async () => {
    await page.goto(`${product.baseUrl}/workflows`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'MCP' }).click();
    await page.getByRole('heading', { name: 'MCP servers' }).waitFor();
    const row = page.locator(`tr[data-mcp-server="${serverId}"]`);
    await row.getByRole('rowheader', { name }).waitFor();
    expect(await row.textContent()).toContain('FIXTURE_TOKEN');

    await row.getByRole('button', { name: 'List tools' }).click();
    const tools = page.locator(`tr[data-mcp-server-tools="${serverId}"]`);
    await tools.getByText('echo', { exact: true }).waitFor({ timeout: 30_000 });
    const listed = await tools.locator('li code').allTextContents();
    expect(listed).toEqual(expect.arrayContaining(['echo', 'add', 'hang', 'crash', 'fail']));
    expect(await tools.textContent()).toContain('Adds two numbers');
    console.log(`screenshot: ${await screenshot(page, 'mcp-servers-tools')}`);

    expect(await page.content()).not.toContain(secret);
    expect(pageErrors).toEqual([]);
  });
});
