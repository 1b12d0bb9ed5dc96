// Signing in and out of the editor in Chromium: the token is exchanged for an httpOnly session
// cookie and never kept where the page's scripts could read it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshot, type Browser } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { PageGlobals } from './support/page-globals.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('the editor session in Chromium', { timeout: 120_000 }, () => {
  let editor: EditorPage;
  let product: Product;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    editor = await openEditorPage(services, 15_000);
    ({ product, browser, page, pageErrors } = editor);
    await page.goto(`${product.baseUrl}/reviews`);
  }, 240_000);
  afterAll(async () => {
    await editor?.close();
  });

  it('signs out, asks for a token, and keeps a session cookie instead of the token', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Connect to Trellis' }).waitFor();
    expect(await browser.context.cookies(product.baseUrl)).toEqual([]);
    await page.getByLabel('API token').fill('trl_not-a-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'the token is not valid' }).waitFor();
    console.log(`screenshot: ${await screenshot(page, '21-token-prompt')}`);
    await page.getByLabel('API token').fill(product.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    // The page holds no token: the session lives in a cookie its scripts cannot read.
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('trellis.token')),
    ).toBeNull();
    const [session] = await browser.context.cookies(`${product.baseUrl}/api/session`);
    expect(session).toMatchObject({ name: 'trellis_session', httpOnly: true, sameSite: 'Strict', path: '/api' });
    expect(session?.value).not.toContain(product.token);
    console.log(`screenshot: ${await screenshot(page, '21-token-prompt-signed-in-again')}`);
    expect(pageErrors).toEqual([]);
  });
});
