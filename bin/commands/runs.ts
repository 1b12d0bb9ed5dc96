import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson, printTable } from './output.ts';
import type { LedgerEntry } from '../../schemas/ledger-entry.ts';
import type { RunSummary } from '../../server/lib/runs.ts';

/** `trellis runs list|show`. */
export function runsCommand(): Command {
  const command = new Command('runs').description('list runs and show one with its ledger');

  command
    .command('list')
    .option('--workflow <id>', 'only runs of this workflow')
    .option('--status <status>', 'running, completed, failed, cancelled, terminated or timed-out')
    .option('--limit <n>', 'how many (at most 100)', '20')
    .option('--json', 'print JSON')
    .action(async (options: { workflow?: string; status?: string; limit: string; json?: boolean }) => {
      const query = new URLSearchParams({ limit: options.limit });
      if (options.workflow) query.set('workflowId', options.workflow);
      if (options.status) query.set('status', options.status);
      const { runs } = await apiClient().request<{ runs: RunSummary[] }>('GET', `/runs?${query.toString()}`);
      if (options.json) return printJson(runs);
      printTable(
        runs.map((r) => ({
          run: r.runId,
          workflow: `${r.workflowName} v${r.version}`,
          status: r.status,
          started: r.startedAt,
          ms: r.durationMs ?? '',
          usd: r.costUsd.toFixed(4),
        })),
        ['run', 'workflow', 'status', 'started', 'ms', 'usd'],
      );
    });

  command
    .command('show')
    .argument('<runId>', 'run id (its Temporal workflow id)')
    .option('--json', 'print JSON (summary, live status and ledger)')
    .action(async (runId: string, options: { json?: boolean }) => {
      const api = apiClient();
      const path = `/runs/${encodeURIComponent(runId)}`;
      const [detail, ledger] = await Promise.all([
        api.request<{ run: RunSummary }>('GET', path),
        api.request<{ entries: LedgerEntry[]; totals: { costUsd: number } }>('GET', `${path}/ledger`),
      ]);
      if (options.json) return printJson({ ...detail, ledger });
      const { run } = detail;
      console.log(`${run.runId}\n  ${run.workflowName} v${run.version}, ${run.status}, started ${run.startedAt}`);
      if (run.temporalUiUrl) console.log(`  ${run.temporalUiUrl}`);
      printTable(
        ledger.entries.map((e) => ({
          node: e.nodeId,
          type: e.nodeType,
          status: e.status,
          attempt: e.attempt,
          tier: e.tier ?? '',
          model: e.model ?? '',
          usd: (e.costUsd ?? 0).toFixed(4),
          error: e.error ?? '',
        })),
        ['node', 'type', 'status', 'attempt', 'tier', 'model', 'usd', 'error'],
      );
    });

  return command;
}
