import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printReport, type CanaryReport } from './canary.ts';
import { printJson, printTable } from './output.ts';

interface Proposal {
  id: string;
  kind: string;
  nodeId: string;
  summary: string;
  status: string;
  reportId?: string;
}

/** `trellis advisor <workflowId> [--canary]`: what the policy advisor proposes, each tried by a canary on request. */
export function advisorCommand(): Command {
  return new Command('advisor')
    .description("the policy advisor's proposals for a workflow, from its past runs")
    .argument('<workflowId>', 'workflow id')
    .option('--canary', 'run the canary of each open proposal (promote a report with trellis canary promote)')
    .option('--json', 'print JSON')
    .action(async (workflowId: string, options: { canary?: boolean; json?: boolean }) => {
      const api = apiClient();
      const { proposals } = await api.request<{ proposals: Proposal[] }>(
        'POST',
        `/workflows/${encodeURIComponent(workflowId)}/proposals`,
        {},
      );
      const reports: CanaryReport[] = [];
      if (options.canary) {
        for (const proposal of proposals.filter((p) => p.status === 'open')) {
          if (!options.json) console.error(`canary of ${proposal.id}…`);
          reports.push(
            await api.request<CanaryReport>('POST', `/proposals/${encodeURIComponent(proposal.id)}/canary`, {
              createdBy: process.env.USER ?? 'operator',
            }),
          );
        }
      }
      if (options.json) return printJson(options.canary ? { proposals, reports } : proposals);
      if (proposals.length === 0) console.log('no proposals: nothing in the past runs calls for a change');
      else
        printTable(
          proposals.map((p) => ({ id: p.id, kind: p.kind, node: p.nodeId, status: p.status, proposal: p.summary })),
          ['id', 'kind', 'node', 'status', 'proposal'],
        );
      for (const report of reports) {
        console.log('');
        printReport(report);
      }
    });
}
