// Issue 20, the mail settings page in Chromium against a real Dovecot and mailpit: an account is
// added through the form, its connection tried before saving (a wrong password answers in words),
// saved, listed (its INBOX then listened to), edited without retyping the password, and removed.
// The password never comes back to the page.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';
import { screenshot } from './support/browser.ts';
import { openEditorPage, type EditorPage } from './support/editor-page.ts';
import type { Product } from './support/product.ts';

const services = inject('services');

describe('the mail settings page in Chromium', { timeout: 240_000 }, () => {
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const accountId = `studio-${randomBytes(3).toString('hex')}`;
  const address = `${accountId}@example.test`;
  let dovecot: Dovecot;
  let mailpit: MailpitSink;
  let editor: EditorPage;
  let product: Product;
  let page: Page;
  let pageErrors: string[];
  /** Every API answer the page received, as text: none may hold the password. */
  const answers: string[] = [];

  beforeAll(async () => {
    [dovecot, mailpit] = await Promise.all([
      startDovecot({ users: [{ user: 'op@example.test', password }] }),
      startMailpit(),
    ]);
    editor = await openEditorPage(services, 30_000);
    ({ product, page, pageErrors } = editor);
    page.on('response', (response) => {
      if (!response.url().includes('/api/')) return;
      void response
        .text()
        .then((text) => answers.push(`${response.request().method()} ${response.url()} ${text}`))
        .catch(() => undefined);
    });
  }, 300_000);
  afterAll(async () => {
    await editor?.close();
    await Promise.all([removeDovecot(dovecot), mailpit?.stop()]);
  });

  /** The page's text and its inputs' values hold no password. */
  async function expectNoPassword(): Promise<void> {
    expect(await page.content()).not.toContain(password);
    const values = await Promise.all((await page.locator('input').all()).map((input) => input.inputValue()));
    expect(values).not.toContain(password);
  }

  it('shows what connecting a mailbox does while there is none', async () => {
    const listed = await product.api<{ accounts: unknown[] }>('GET', '/api/mail/accounts');
    expect(listed.status).toBe(200);
    await page.goto(`${product.baseUrl}/workflows`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mail' }).click();
    await page.getByRole('heading', { name: 'Mail', exact: true }).waitFor();
    // Other suites may share the database; the empty state shows only when nobody added an account.
    if (listed.body.accounts.length === 0) {
      await page.getByRole('heading', { name: 'No mailbox connected' }).waitFor();
      await page.getByText('Everything else in Trellis works without one.').waitFor();
      console.log(`screenshot: ${await screenshot(page, 'mail-settings-empty')}`);
    }
  });

  it('tries the settings before saving: IMAP works, a wrong password is refused in words', async () => {
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a mail account' });
    await dialog.getByLabel('Account id').fill(accountId);
    await dialog.getByLabel('Name shown to recipients').fill('Studio Mail');
    await dialog.getByLabel('Email address').fill(address);
    // The port follows the security mode until someone types their own.
    expect(await dialog.getByLabel('IMAP port').inputValue()).toBe('993');
    await dialog.getByLabel('IMAP security').selectOption('starttls');
    expect(await dialog.getByLabel('IMAP port').inputValue()).toBe('143');
    await dialog.getByLabel('SMTP security').selectOption('starttls');
    expect(await dialog.getByLabel('SMTP port').inputValue()).toBe('587');
    await dialog.getByLabel('SMTP security').selectOption('tls');
    expect(await dialog.getByLabel('SMTP port').inputValue()).toBe('465');

    await dialog.getByLabel('IMAP host').fill(dovecot.host);
    await dialog.getByLabel('IMAP security').selectOption('none');
    await dialog.getByLabel('IMAP port').fill(String(dovecot.port));
    await dialog.getByLabel('IMAP user name').fill(dovecot.user);
    await dialog.getByLabel('IMAP password').fill(password);
    await dialog.getByLabel('Sent folder').fill('Sent');
    await dialog.getByLabel('Back-fill (days)').fill('7');
    // mailpit takes mail on loopback without signing in.
    await dialog.getByLabel('SMTP host').fill(mailpit.smtpHost);
    await dialog.getByLabel('SMTP security').selectOption('none');
    await dialog.getByLabel('SMTP port').fill(String(mailpit.smtpPort));

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const results = dialog.getByRole('status', { name: 'Connection test' });
    await results.getByText('Reading (IMAP):').waitFor({ timeout: 45_000 });
    expect(await results.innerText()).toContain('works.');
    expect(await results.innerText()).toContain('Sent folder: Sent');
    await results.getByText('Sending (SMTP):').waitFor();
    expect(await results.locator('[data-direction="smtp"]').innerText()).toContain('works.');
    expect(await results.locator('[data-direction="smtp"]').innerText()).toContain('takes mail without signing in');
    // Trying SMTP sends nothing.
    expect(await mailpit.messages()).toEqual([]);
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-test-ok')}`);

    await dialog.getByLabel('IMAP password').fill(`${password}-wrong`);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await results.getByText('The server refused the user name or password.').waitFor({ timeout: 45_000 });
    expect(await results.locator('[data-direction="smtp"]').innerText()).toContain('works.');
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-test-auth')}`);
    expect(answers.join('\n')).not.toContain(password);
  });

  it('shows a field the server refuses on that field, then saves and lists the account', async () => {
    const dialog = page.getByRole('dialog', { name: 'Add a mail account' });
    await dialog.getByLabel('IMAP password').fill(password);
    await dialog.getByLabel('IMAP port').fill('70000');
    await dialog.getByRole('button', { name: 'Save account' }).click();
    const portError = dialog.locator('.field', { has: page.getByLabel('IMAP port') }).locator('.field-error');
    await portError.waitFor();
    expect(await dialog.getByLabel('IMAP port').getAttribute('aria-invalid')).toBe('true');
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-field-error')}`);

    await dialog.getByLabel('IMAP port').fill(String(dovecot.port));
    await dialog.getByRole('button', { name: 'Save account' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`tr[data-account="${accountId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Studio Mail');
    expect(await row.innerText()).toContain(address);
    expect(await row.innerText()).toContain(`${mailpit.smtpHost}:${mailpit.smtpPort}`);
    await expectNoPassword();
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-listed')}`);
  });

  it('tests the saved account with its stored password, and edits it without retyping it', async () => {
    const row = page.locator(`tr[data-account="${accountId}"]`);
    await row.getByRole('button', { name: 'Test connection' }).click();
    const tested = page.locator(`tr[data-account-test="${accountId}"]`);
    await tested.getByText('Reading (IMAP):').waitFor({ timeout: 45_000 });
    expect(await tested.innerText()).toContain('works.');
    expect(await tested.locator('[data-direction="smtp"]').innerText()).toContain('works.');
    await row.locator('.mail-badge-ok').nth(1).waitFor();
    // The server's intake picks the account up and listens to its INBOX (the row polls its status).
    await row.locator('.mail-intake [data-folder="INBOX"]').getByText('listening').waitFor({ timeout: 45_000 });
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-saved-test')}`);

    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${address}` });
    expect(await dialog.getByLabel('IMAP password').inputValue()).toBe('');
    await dialog.getByText('Leave empty to keep the stored password.').first().waitFor();
    await dialog.getByLabel('Name shown to recipients').fill('Studio');
    await expectNoPassword();
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-edit')}`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Studio', { exact: true }).waitFor();

    // The stored password was kept: the saved account still signs in.
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/mail/accounts/${accountId}/test`), {
      timeout: 45_000,
    });
    await row.getByRole('button', { name: 'Test connection' }).click();
    expect(await (await answered).json()).toMatchObject({ imap: { ok: true }, smtp: { ok: true } });
    await tested.locator('[data-direction="imap"]').getByText('works.').waitFor();
    expect(answers.join('\n')).not.toContain(password);
  });

  it('lists a direction that fails with its error', async () => {
    const row = page.locator(`tr[data-account="${accountId}"]`);
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${address}` });
    await dialog.getByLabel('IMAP password').fill(`${password}-old`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Changed settings are untested until tried.
    await row.locator('.mail-badge-unknown').waitFor();
    await row.getByRole('button', { name: 'Test connection' }).click();
    await row.locator('.mail-badge-failing').waitFor({ timeout: 45_000 });
    expect(await row.locator('.mail-state-error').first().innerText()).toContain('refused the user name or password');
    const tested = page.locator(`tr[data-account-test="${accountId}"]`);
    await tested.getByText('The server refused the user name or password.').waitFor();
    // The intake restarts with the changed settings, and its listener backs off.
    await row.locator('.mail-intake [data-folder="INBOX"]').getByText('reconnecting').waitFor({ timeout: 45_000 });
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-failing')}`);
  });

  it('removes the account after asking', async () => {
    const row = page.locator(`tr[data-account="${accountId}"]`);
    await row.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: `Remove ${address}?` });
    console.log(`screenshot: ${await screenshot(page, 'mail-settings-remove')}`);
    await confirm.getByRole('button', { name: 'Remove account' }).click();
    await row.waitFor({ state: 'detached' });
    const gone = await product.api('GET', `/api/mail/accounts/${accountId}`);
    expect(gone.status).toBe(404);
    await expectNoPassword();
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.join('\n')).not.toContain(password);
    expect(pageErrors).toEqual([]);
  });
});
