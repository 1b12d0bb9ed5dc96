// Debian's Chromium driven by playwright-core, headless, with a fresh profile per launch.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath as chromiumPathFor } from '../../../bin/commands/test-packages.ts';
import { repoRoot } from './product.ts';

export const chromiumPath = chromiumPathFor();
export const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A headless Chromium, signed in when given the product's address and a token: the sign-in an
 * operator does in the token prompt (POST /api/session), so the context holds the session cookie.
 */
export async function launchBrowser(
  options: { token?: string; baseUrl?: string; width?: number; height?: number } = {},
): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'trellis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    acceptDownloads: true,
  });
  // The editor holds no token: it signs in once to a session cookie, which needs the server's address.
  if (options.token && !options.baseUrl) throw new Error('launchBrowser: a token needs the baseUrl to sign in with');
  if (options.token && options.baseUrl) {
    const signedIn = await context.request.post(`${options.baseUrl}/api/session`, {
      data: { token: options.token },
      headers: { origin: options.baseUrl },
    });
    if (signedIn.status() !== 201) throw new Error(`sign-in failed: ${signedIn.status()} ${await signedIn.text()}`);
  }
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, { fullPage = false } = {}): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
