import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { apiClient } from './api-client.ts';
import { printJson, printTable } from './output.ts';

interface Rule {
  id: string;
  intent?: string;
  sourceKind?: string;
  clientId?: string;
  projectId?: string;
  minConfidence: number;
  workflowId: string;
  version: number;
  inputMapping?: string;
}

interface RuleSet {
  version: number;
  status: 'draft' | 'active' | 'retired';
  rules: Rule[];
  default: { triage: true } | { workflowId: string; version: number };
  note?: string;
  createdBy: string;
  createdAt: string;
  activatedAt?: string;
}

function printRuleSet(ruleSet: RuleSet): void {
  const fallback = 'triage' in ruleSet.default ? 'triage' : `${ruleSet.default.workflowId} v${ruleSet.default.version}`;
  console.log(`rules v${ruleSet.version} (${ruleSet.status}), otherwise: ${fallback}`);
  if (ruleSet.note) console.log(`  ${ruleSet.note}`);
  printTable(
    ruleSet.rules.map((r) => ({
      rule: r.id,
      intent: r.intent ?? 'any',
      source: r.sourceKind ?? 'any',
      client: r.clientId ?? 'any',
      project: r.projectId ?? 'any',
      min: r.minConfidence,
      workflow: `${r.workflowId} v${r.version}`,
      mapping: r.inputMapping ? 'yes' : '',
    })),
    ['rule', 'intent', 'source', 'client', 'project', 'min', 'workflow', 'mapping'],
  );
}

/** `trellis rules list|show|save`. */
export function rulesCommand(): Command {
  const command = new Command('rules').description("the intent router's rules (numbered rule sets)");

  command
    .command('list')
    .description('list rule sets, newest first')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { ruleSets } = await apiClient().request<{ ruleSets: RuleSet[] }>('GET', '/routing/rule-sets');
      if (options.json) return printJson(ruleSets);
      printTable(
        ruleSets.map((s) => ({
          version: s.version,
          status: s.status,
          rules: s.rules.length,
          by: s.createdBy,
          created: s.createdAt,
          activated: s.activatedAt ?? '',
          note: s.note ?? '',
        })),
        ['version', 'status', 'rules', 'by', 'created', 'activated', 'note'],
      );
    });

  command
    .command('show')
    .argument('[version]', 'a rule set version (default: the live one)')
    .option('--json', 'print JSON')
    .action(async (version: string | undefined, options: { json?: boolean }) => {
      const path = version ? `/routing/rule-sets/${encodeURIComponent(version)}` : '/routing/rules';
      const { ruleSet } = await apiClient().request<{ ruleSet: RuleSet }>('GET', path);
      if (options.json) return printJson(ruleSet);
      printRuleSet(ruleSet);
    });

  command
    .command('save')
    .argument(
      '<file>',
      'a rule set as JSON: { rules: [...], default: { triage: true } | { workflowId, version }, note? }',
    )
    .option('--by <name>', 'who saves it', process.env.USER)
    .option('--json', 'print JSON')
    .description('save a rule set as the next draft (it goes live by promoting a canary report)')
    .action(async (file: string, options: { by?: string; json?: boolean }) => {
      const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const { ruleSet } = await apiClient().request<{ ruleSet: RuleSet }>('POST', '/routing/rule-sets', {
        ...body,
        ...(options.by ? { createdBy: options.by } : {}),
      });
      if (options.json) return printJson(ruleSet);
      printRuleSet(ruleSet);
      console.log(
        `\nTry it on past events, then promote the report:\n  trellis canary run <file with {"candidate":{"kind":"rule-set","ruleSetVersion":${ruleSet.version}},"slice":{}}>`,
      );
    });

  return command;
}
