import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson, printTable } from './output.ts';

interface Agent {
  id: string;
  tier: string;
  role: string;
  enabled: boolean;
  budget: { perActionUsd: number; perMonthUsd: number; latencyMs: number; onOverBudget: string };
  spend: { month: string; costUsd: number; calls: number; remainingUsd: number; overBudget: boolean };
}

/** `trellis agents list`: the agent registry with this month's spend. */
export function agentsCommand(): Command {
  const command = new Command('agents').description('the agent registry: roles, budgets and spend');

  command
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { agents } = await apiClient().request<{ agents: Agent[] }>('GET', '/agents');
      if (options.json) return printJson(agents);
      printTable(
        agents.map((a) => ({
          agent: a.id,
          tier: a.tier,
          on: a.enabled ? 'yes' : 'no',
          'usd/action': a.budget.perActionUsd,
          'usd/month': a.budget.perMonthUsd,
          spent: a.spend.costUsd.toFixed(4),
          calls: a.spend.calls,
          over: a.spend.overBudget ? a.budget.onOverBudget : '',
          role: a.role,
        })),
        ['agent', 'tier', 'on', 'usd/action', 'usd/month', 'spent', 'calls', 'over', 'role'],
      );
    });

  return command;
}
