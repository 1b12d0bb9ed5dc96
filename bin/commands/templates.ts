import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';
import { publishWorkflow } from './workflows.ts';
import type { Template as TemplateSummary } from '../../server/lib/templates.ts';

/** `key=value` → { key: value }, the value read as JSON when it is JSON. */
function parameter(pair: string, previous: Record<string, unknown>): Record<string, unknown> {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--param takes key=value, got "${pair}"`);
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { ...previous, [pair.slice(0, at)]: value };
}

/** "mail account (--param account=<id>)", or "" when the template needs nothing besides its nodes. */
function needsText(template: TemplateSummary): string {
  return (template.needs?.mailAccounts ?? [])
    .map((need) => `${need.optional ? 'optional ' : ''}mail account (--param ${need.parameter}=<id>)`)
    .join(', ');
}

/** `trellis templates list|install`. */
export function templatesCommand(): Command {
  const command = new Command('templates').description('the template gallery');

  command
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { templates } = await apiClient().request<{ templates: TemplateSummary[] }>('GET', '/templates');
      if (options.json) return printJson(templates);
      printTable(
        templates.map((t) => ({
          id: t.id,
          version: t.version,
          title: t.title,
          needs: needsText(t),
          nodes: t.nodes.join(', '),
        })),
        ['id', 'version', 'title', 'needs', 'nodes'],
      );
    });

  command
    .command('install')
    .argument('<ids...>', 'template ids')
    .option('--name <name>', 'name of the new workflow (one template only)')
    .option('-p, --param <key=value>', 'a template parameter (repeatable; JSON values allowed)', parameter, {})
    .option('--publish', 'publish each new workflow at once (needs every required parameter)')
    .option('--json', 'print JSON')
    .description('create workflows from templates')
    .action(
      async (
        ids: string[],
        options: { name?: string; param: Record<string, unknown>; publish?: boolean; json?: boolean },
      ) => {
        const api = apiClient();
        const bar = progress(ids.length, options.json === true || ids.length < 2);
        const created: { template: string; id: string; name: string; version: string }[] = [];
        for (const [index, id] of ids.entries()) {
          const { workflow } = await api.request<{ workflow: { id: string; name: string } }>(
            'POST',
            `/templates/${encodeURIComponent(id)}/use`,
            { parameters: options.param, ...(options.name && ids.length === 1 ? { name: options.name } : {}) },
          );
          const version = options.publish ? `v${(await publishWorkflow(api, workflow.id)).version}` : 'draft';
          created.push({ template: id, id: workflow.id, name: workflow.name, version });
          bar.update(index + 1, id);
        }
        bar.stop();
        if (options.json) printJson(created);
        else printTable(created, ['template', 'id', 'name', 'version']);
      },
    );

  return command;
}
