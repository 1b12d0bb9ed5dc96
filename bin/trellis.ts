#!/usr/bin/env node
// The Trellis CLI. `./trellis <command>` makes sure Node and dependencies are there first.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { upCommand } from './commands/up.ts';
import { serverCommand } from './commands/server.ts';
import { workerCommand } from './commands/worker.ts';
import { servicesCommand } from './commands/services.ts';
import { testCommand } from './commands/test.ts';
import { healthCommand } from './commands/health.ts';
import { installCommand } from './commands/install.ts';
import { checkCommand } from './commands/check.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('trellis')
  .description('Self-hosted operating layer for one-person companies')
  .version(`${pkg.version} (node ${process.version})`)
  .showHelpAfterError();

program.addCommand(upCommand());
program.addCommand(testCommand());
program.addCommand(healthCommand());
program.addCommand(installCommand());
program.addCommand(checkCommand());
program.addCommand(servicesCommand());
program.addCommand(serverCommand());
program.addCommand(workerCommand());

await program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`trellis: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
