#!/usr/bin/env node
// The Trellis CLI. `./trellis <command>` makes sure Node and dependencies are there first.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// Each command's module is imported only when it runs (or for help): the server and the worker
// pull in Fastify and Temporal's native worker, which would make every API call seconds slower.
const commands: Record<string, () => Promise<Command>> = {
  up: async () => (await import('./commands/up.ts')).upCommand(),
  test: async () => (await import('./commands/test.ts')).testCommand(),
  health: async () => (await import('./commands/health.ts')).healthCommand(),
  install: async () => (await import('./commands/install.ts')).installCommand(),
  check: async () => (await import('./commands/check.ts')).checkCommand(),
  services: async () => (await import('./commands/services.ts')).servicesCommand(),
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand(),
  server: async () => (await import('./commands/server.ts')).serverCommand(),
  worker: async () => (await import('./commands/worker.ts')).workerCommand(),
  workflows: async () => (await import('./commands/workflows.ts')).workflowsCommand(),
  run: async () => (await import('./commands/run.ts')).runCommand(),
  runs: async () => (await import('./commands/runs.ts')).runsCommand(),
  replay: async () => (await import('./commands/replay.ts')).replayCommand(),
  rerun: async () => (await import('./commands/replay.ts')).rerunCommand(),
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand(),
  mail: async () => (await import('./commands/mail.ts')).mailCommand(),
  extract: async () => (await import('./commands/extract.ts')).extractCommand(),
  templates: async () => (await import('./commands/templates.ts')).templatesCommand(),
  route: async () => (await import('./commands/route.ts')).routeCommand(),
  rules: async () => (await import('./commands/rules.ts')).rulesCommand(),
  suggestions: async () => (await import('./commands/suggestions.ts')).suggestionsCommand(),
  agents: async () => (await import('./commands/agents.ts')).agentsCommand(),
  canary: async () => (await import('./commands/canary.ts')).canaryCommand(),
  advisor: async () => (await import('./commands/advisor.ts')).advisorCommand(),
  mcp: async () => (await import('./commands/mcp.ts')).mcpCommand(),
};

const program = new Command('trellis')
  .description('Self-hosted operating layer for one-person companies')
  .version(`${pkg.version} (node ${process.version})`)
  .showHelpAfterError();

const invoked = process.argv[2];
const needed = invoked !== undefined && invoked in commands ? [invoked] : Object.keys(commands);
for (const name of needed) program.addCommand(await commands[name]!());

await program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`trellis: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
