import { Command } from 'commander';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromiumPackage, dovecotPackage, ensureTestPackages, runsEndToEnd, runsMailTests } from './test-packages.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** `trellis test [vitest args]`: the whole suite; the global setup starts the services it needs. */
export function testCommand(): Command {
  return new Command('test')
    .description('run the test suite (starts its own services on free ports)')
    .allowUnknownOption()
    .argument('[args...]', 'passed to vitest')
    .action(async (args: string[]) => {
      const packages = [
        ...(runsEndToEnd(args) ? [chromiumPackage()] : []),
        ...(runsMailTests(args) ? [dovecotPackage()] : []),
      ];
      if (packages.length > 0) {
        const missing = ensureTestPackages(packages, (line) => process.stderr.write(`${line}\n`));
        if (missing) {
          process.stderr.write(`trellis: ${missing}\n`);
          process.exitCode = 1;
          return;
        }
      }
      const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
      const child = spawn(process.execPath, [vitest, 'run', ...args], { cwd: root, stdio: 'inherit' });
      const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
      process.exitCode = code;
    });
}
