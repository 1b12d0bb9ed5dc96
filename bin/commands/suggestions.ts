import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson, printTable } from './output.ts';

interface Suggestion {
  id: string;
  text: string;
  intent: string;
  clientId?: string;
  workflowId: string;
  version: number;
  minConfidence: number;
  evidence: unknown[];
  status: string;
  ruleSetVersion?: number;
}

/** `trellis suggestions list|accept|dismiss`: rules the router suggests from repeated triage choices. */
export function suggestionsCommand(): Command {
  const command = new Command('suggestions').description('rules suggested by repeated triage choices');

  command
    .command('list')
    .option('--status <status>', 'open, accepted or dismissed', 'open')
    .option('--json', 'print JSON')
    .action(async (options: { status: string; json?: boolean }) => {
      const { suggestions } = await apiClient().request<{ suggestions: Suggestion[] }>(
        'GET',
        `/routing/suggestions?status=${encodeURIComponent(options.status)}`,
      );
      if (options.json) return printJson(suggestions);
      printTable(
        suggestions.map((s) => ({
          id: s.id,
          suggestion: s.text,
          min: s.minConfidence,
          choices: s.evidence.length,
          status: s.status,
          rules: s.ruleSetVersion ? `v${s.ruleSetVersion}` : '',
        })),
        ['id', 'suggestion', 'min', 'choices', 'status', 'rules'],
      );
    });

  command
    .command('accept')
    .argument('<id>', 'suggestion id')
    .option('--by <name>', 'who accepts it', process.env.USER)
    .option('--json', 'print JSON')
    .description('write the rule into a draft rule set (live after a canary is promoted)')
    .action(async (id: string, options: { by?: string; json?: boolean }) => {
      const { ruleSet } = await apiClient().request<{ ruleSet: { version: number; status: string } }>(
        'POST',
        `/routing/suggestions/${encodeURIComponent(id)}/accept`,
        options.by ? { by: options.by } : {},
      );
      if (options.json) return printJson(ruleSet);
      console.log(`draft rule set v${ruleSet.version}: try it with a canary, then promote the report`);
    });

  command
    .command('dismiss')
    .argument('<id>', 'suggestion id')
    .option('--by <name>', 'who dismisses it', process.env.USER)
    .option('--json', 'print JSON')
    .action(async (id: string, options: { by?: string; json?: boolean }) => {
      const reply = await apiClient().request<{ suggestion?: Suggestion }>(
        'POST',
        `/routing/suggestions/${encodeURIComponent(id)}/dismiss`,
        options.by ? { by: options.by } : {},
      );
      if (options.json) return printJson(reply.suggestion);
      console.log(`dismissed ${id}`);
    });

  return command;
}
