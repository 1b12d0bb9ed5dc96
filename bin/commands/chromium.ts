// The end-to-end tests drive Debian's Chromium. A fresh machine does not have it: install it when
// we may (root with apt-get, as CI runs), else say the one command that does, before the suite
// spends minutes starting services only to fail on the browser.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = (env: NodeJS.ProcessEnv = process.env) => env.TRELLIS_CHROMIUM ?? '/usr/bin/chromium';

/** Whether these vitest arguments run any end-to-end test (no file filter: the whole suite does). */
export function runsEndToEnd(args: string[]): boolean {
  const filters = args.filter((arg) => !arg.startsWith('-'));
  return filters.length === 0 || filters.some((arg) => arg.includes('e2e'));
}

/** Undefined when Chromium is there (or was just installed); else what to tell the user. */
export function ensureChromium(log: (line: string) => void): string | undefined {
  const path = chromiumPath();
  if (existsSync(path)) return undefined;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (apt && process.getuid?.() === 0) {
    log("trellis: the end-to-end tests need Chromium; installing Debian's package (apt-get install chromium) …");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
        : update;
    if (install.status === 0 && existsSync(path)) return undefined;
  }
  return (
    `the end-to-end tests need Chromium at ${path}: install it with \`sudo apt-get install -y chromium\` ` +
    '(or point TRELLIS_CHROMIUM at a Chromium binary), or run only `./trellis test tests/unit tests/integration`'
  );
}
