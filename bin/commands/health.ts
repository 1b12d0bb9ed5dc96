import { Command } from 'commander';
import type { HealthReport } from '../../services/health.ts';
import { apiClient } from './api-client.ts';

type DetailedHealth = HealthReport & { checks?: { performed: number; checkedAt: string } };

/** Asks a running server for /api/health (with the CLI's token, so with details) and prints it. */
export function healthCommand(): Command {
  return new Command('health')
    .description("print the running server's service health")
    .option('--json', 'print the raw JSON')
    .action(async (options: { json?: boolean }) => {
      const response = await apiClient().raw('GET', '/health');
      if (response.status === 401) throw new Error('GET /health: 401, the API token was refused');
      const report = (await response.json()) as DetailedHealth;
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        for (const [name, service] of Object.entries(report.services)) {
          const state = service.reachable ? `up, ${service.version ?? '?'}` : `DOWN: ${service.error ?? ''}`;
          console.log(`${name.padEnd(9)} ${state} (${service.origin === 'local' ? 'started locally' : 'from env'})`);
        }
        for (const [name, child] of Object.entries(report.processes ?? {})) {
          const exit = child.lastExit ? `, last exit ${child.lastExit}` : '';
          console.log(`${name.padEnd(9)} ${child.state}, ${child.restarts} restart(s)${exit}`);
        }
      }
      if (!report.ok) process.exitCode = 1;
    });
}
