import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { apiClient } from './api-client.ts';
import { printJson, printTable } from './output.ts';
import type { CanaryReport } from '../../control/canary/reports.ts';

// The report as the API answers it: the control plane's own type (JSON, dates as strings).
export type { CanaryReport } from '../../control/canary/reports.ts';

const rate = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(2));

/** A report as the report page shows it: what was tried, on how much, what changed, and per node. */
export function printReport(report: CanaryReport): void {
  const { summary } = report;
  console.log(`${report.id}: ${report.kind} canary${summary ? ` of ${summary.label}` : ''}, ${report.status}`);
  if (report.error) console.log(`  error: ${report.error}`);
  if (summary) {
    console.log(
      `  ${summary.runs} runs replayed (${summary.canaryFailed} failed), ${summary.changedOutputs} outputs changed, ` +
        `${summary.sideEffectsReused} side effects reused`,
    );
    console.log(
      `  asked a person: ${summary.askedHumanBefore} before → ${summary.asksHumanNow} now; reviewed ${summary.reviewed}, ` +
        `automated ${summary.automatedOnReviewed}, matching the approved value ${summary.matchesApproved} ` +
        `(estimated false-positive rate ${rate(summary.estimatedFalsePositiveRate)})`,
    );
    console.log(`  cost $${summary.costBeforeUsd.toFixed(4)} → $${summary.costAfterUsd.toFixed(4)}`);
  }
  if (report.promotion) console.log(`  promoted by ${report.promotedBy ?? '?'}: ${JSON.stringify(report.promotion)}`);
  if (report.nodes?.length)
    printTable(
      report.nodes.map((n) => ({
        node: n.nodeId,
        type: n.nodeType,
        runs: n.runs,
        reused: n.reused,
        changed: n.changed,
        'asks now': n.asksHumanNow,
        reviewed: n.reviewed,
        matches: n.matchesApproved,
        'est. fp': rate(n.estimatedFalsePositiveRate),
        Δusd: n.costDeltaUsd.toFixed(4),
        Δms: n.latencyDeltaMs ?? '',
      })),
      ['node', 'type', 'runs', 'reused', 'changed', 'asks now', 'reviewed', 'matches', 'est. fp', 'Δusd', 'Δms'],
    );
}

/** `trellis canary run|list|show|promote`. */
export function canaryCommand(): Command {
  const command = new Command('canary').description('try a candidate on past runs before it goes live');

  command
    .command('run')
    .argument('<file>', 'a canary request as JSON: { candidate: {...}, slice: { from?, to?, clientId?, limit? } }')
    .option('--json', 'print JSON')
    .description('replay a slice of the ledger through the candidate and keep the report (can take minutes)')
    .action(async (file: string, options: { json?: boolean }) => {
      const request = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (!options.json) console.error('replaying past runs through the candidate…');
      const report = await apiClient().request<CanaryReport>('POST', '/canaries', {
        createdBy: process.env.USER ?? 'operator',
        ...request,
      });
      if (options.json) return printJson(report);
      printReport(report);
    });

  command
    .command('list')
    .option('--workflow <id>', 'only reports of this workflow')
    .option('--json', 'print JSON')
    .action(async (options: { workflow?: string; json?: boolean }) => {
      const query = options.workflow ? `?workflowId=${encodeURIComponent(options.workflow)}` : '';
      const { reports } = await apiClient().request<{ reports: CanaryReport[] }>('GET', `/canaries${query}`);
      if (options.json) return printJson(reports);
      printTable(
        reports.map((r) => ({
          id: r.id,
          kind: r.kind,
          candidate: r.summary?.label ?? '',
          status: r.status,
          runs: r.summary?.runs ?? '',
          changed: r.summary?.changedOutputs ?? '',
          'est. fp': rate(r.summary?.estimatedFalsePositiveRate),
          by: r.createdBy,
          created: r.createdAt,
        })),
        ['id', 'kind', 'candidate', 'status', 'runs', 'changed', 'est. fp', 'by', 'created'],
      );
    });

  command
    .command('show')
    .argument('<id>', 'report id')
    .option('--json', 'print JSON (with every replayed run)')
    .action(async (id: string, options: { json?: boolean }) => {
      const report = await apiClient().request<CanaryReport>('GET', `/canaries/${encodeURIComponent(id)}`);
      if (options.json) return printJson(report);
      printReport(report);
    });

  command
    .command('promote')
    .argument('<id>', 'report id')
    .option('--by <name>', 'who promotes it', process.env.USER)
    .option('--json', 'print JSON')
    .description("make the report's candidate live")
    .action(async (id: string, options: { by?: string; json?: boolean }) => {
      const report = await apiClient().request<CanaryReport>(
        'POST',
        `/canaries/${encodeURIComponent(id)}/promote`,
        options.by ? { by: options.by } : {},
      );
      if (options.json) return printJson(report);
      printReport(report);
    });

  return command;
}
