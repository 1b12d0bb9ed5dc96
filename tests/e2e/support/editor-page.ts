// The product and a signed-in Chromium page on it, as most end-to-end suites start: the page's
// uncaught errors collected so that each suite can assert there were none.
import type { Page } from 'playwright-core';
import type { TestServices } from '../../setup/test-stack.ts';
import { launchBrowser, type Browser } from './browser.ts';
import { buildEditor, startProduct, type Product } from './product.ts';

export interface EditorPage {
  product: Product;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openEditorPage(
  services: TestServices,
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<EditorPage> {
  buildEditor();
  const product = await startProduct(services, env);
  const browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
  const page = await browser.context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    product,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await product.close();
    },
  };
}
