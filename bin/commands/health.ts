import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';

/** Asks a running server for /api/health and prints it. */
export function healthCommand(): Command {
  return new Command('health')
    .description("print the running server's service health")
    .option('--json', 'print the raw JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const response = await fetch(`http://${config.host}:${config.port}/api/health`);
      const report = (await response.json()) as {
        ok: boolean;
        services: Record<string, { reachable: boolean; version?: string; origin: string; error?: string }>;
      };
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        for (const [name, service] of Object.entries(report.services)) {
          const state = service.reachable ? `up, ${service.version ?? '?'}` : `DOWN: ${service.error ?? ''}`;
          console.log(`${name.padEnd(9)} ${state} (${service.origin === 'local' ? 'started locally' : 'from env'})`);
        }
      }
      if (!report.ok) process.exitCode = 1;
    });
}
