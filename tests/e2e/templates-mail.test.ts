// Issue 20, the template gallery in Chromium: templates that use a mailbox say "Needs a mail
// account" on their card; without an account the card links to Settings › Mail, and with one the
// "Use template" dialog offers it.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('mail needs in the template gallery', { timeout: 240_000 }, () => {
  const accountId = `gallery-${randomBytes(3).toString('hex')}`;
  let editor: EditorPage;
  let product: Product;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    editor = await openEditorPage(services, 30_000);
    ({ product, page, pageErrors } = editor);
  }, 300_000);
  afterAll(() => editor?.close());

  const card = (title: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });

  it('marks the templates that need a mailbox, and links to mail settings while there is none', async () => {
    const listed = await product.api<{ accounts: unknown[] }>('GET', '/api/mail/accounts');
    await page.goto(`${product.baseUrl}/templates`);
    const triage = card('Client email triage');
    await triage.getByText('Needs a mail account').waitFor();
    await triage.getByText("Reads the client's mail and sends the reply you approve.").waitFor();
    await card('Invoice from approved work').getByText('Needs a mail account').waitFor();
    await card('Lead intake').getByText('Can use a mail account').waitFor();
    expect(
      await card('Meeting notes to tasks')
        .getByText(/mail account/)
        .count(),
    ).toBe(0);
    // Other suites may share the database: the link shows only while nobody has added an account.
    if (listed.body.accounts.length === 0) {
      const link = triage.getByRole('link', { name: 'None yet: add one in mail settings' });
      await link.waitFor();
      console.log(`screenshot: ${await screenshot(page, 'templates-needs-mail-account', { fullPage: true })}`);
      await link.click();
      await page.getByRole('heading', { name: 'Mail', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/settings/mail');
    }
  });

  it('offers the existing accounts in the dialog once one exists', async () => {
    const created = await product.api('POST', '/api/mail/accounts', {
      id: accountId,
      address: `${accountId}@example.test`,
      smtp: { host: '127.0.0.1', port: 1025, security: 'none' },
    });
    expect(created.status).toBe(201);
    await page.goto(`${product.baseUrl}/templates`);
    const triage = card('Client email triage');
    await triage.getByText('Needs a mail account').waitFor();
    expect(await triage.getByRole('link', { name: /mail settings/ }).count()).toBe(0);
    await triage.scrollIntoViewIfNeeded();
    console.log(`screenshot: ${await screenshot(page, 'templates-with-mail-account')}`);
    await triage.getByRole('button', { name: 'Use template' }).click();
    const dialog = page.getByRole('dialog', { name: 'Use “Client email triage”' });
    await dialog.getByText('Needs a mail account').waitFor();
    const choice = dialog.getByLabel('Mail account');
    await choice.selectOption(accountId);
    console.log(`screenshot: ${await screenshot(page, 'templates-use-with-mail-account')}`);
    await dialog.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL(/\/workflows\/[^/]+/);
    expect(pageErrors).toEqual([]);
  });
});
