// The tests drive programs from Debian's packages that a fresh machine does not have: Chromium
// for the end-to-end tests and Dovecot as the mail tests' IMAP server. Install them when we may
// (root with apt-get, as CI runs), else say the one command that does, before the suite spends
// minutes starting services only to fail on a missing program.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = (env: NodeJS.ProcessEnv = process.env) => env.TRELLIS_CHROMIUM ?? '/usr/bin/chromium';

/** A Debian package a part of the suite needs, and how to tell it is there. */
export interface TestPackage {
  name: string;
  /** A file the package installs. */
  binary: string;
  /** Which tests need it, for the message. */
  neededBy: string;
  /** The argument that skips those tests, for the message. */
  without: string;
}

export const chromiumPackage = (): TestPackage => ({
  name: 'chromium',
  binary: chromiumPath(),
  neededBy: 'the end-to-end tests',
  without:
    '(or point TRELLIS_CHROMIUM at a Chromium binary), or run only `./trellis test tests/unit tests/integration`',
});

export const dovecotPackage = (): TestPackage => ({
  name: 'dovecot-imapd',
  binary: '/usr/sbin/dovecot',
  neededBy: 'the mail tests (a private Dovecot on loopback is their IMAP server)',
  without: 'or run only `./trellis test tests/unit`',
});

const filtersOf = (args: string[]) => args.filter((arg) => !arg.startsWith('-'));

/** Whether these vitest arguments run any end-to-end test (no file filter: the whole suite does). */
export function runsEndToEnd(args: string[]): boolean {
  const filters = filtersOf(args);
  return filters.length === 0 || filters.some((arg) => arg.includes('e2e'));
}

/** Whether these vitest arguments may run a mail test (the whole suite, or a path that can hold one). */
export function runsMailTests(args: string[]): boolean {
  const filters = filtersOf(args);
  return filters.length === 0 || filters.some((arg) => /mail|integration|e2e/.test(arg) || arg === 'tests');
}

/** Undefined when the packages are there (or were just installed); else what to tell the user. */
export function ensureTestPackages(packages: TestPackage[], log: (line: string) => void): string | undefined {
  const missing = packages.filter((pkg) => !existsSync(pkg.binary));
  if (missing.length === 0) return undefined;
  const names = missing.map((pkg) => pkg.name);
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (apt && process.getuid?.() === 0) {
    log(
      `trellis: ${missing.map((pkg) => pkg.neededBy).join(' and ')} need ${names.join(' and ')}; installing Debian's packages …`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env })
        : update;
    if (install.status === 0 && missing.every((pkg) => existsSync(pkg.binary))) return undefined;
  }
  return missing
    .map(
      (pkg) =>
        `${pkg.neededBy} need ${pkg.binary}: install it with \`sudo apt-get install -y ${pkg.name}\` ${pkg.without}`,
    )
    .join('\n');
}
