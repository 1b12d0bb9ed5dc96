import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { apiClient, type ApiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';
import { resolveWorkflow } from './run.ts';

interface Summary {
  id: string;
  name: string;
  templateId?: string;
  updatedAt: string;
  latestVersion?: { version: number; planHash: string };
}

export interface Published {
  version: number;
  planHash: string;
  publishedAt: string;
  created: boolean;
}

/** Publishes a workflow's current graph: a new version unless it compiles to the latest one's plan. */
export function publishWorkflow(api: ApiClient, id: string): Promise<Published> {
  return api.request<Published>('POST', `/workflows/${encodeURIComponent(id)}/publish`, { publishedBy: 'cli' });
}

/** `trellis workflows list|publish|export|import`. */
export function workflowsCommand(): Command {
  const command = new Command('workflows').description('list, publish, export and import workflows');

  command
    .command('list')
    .description('list workflows with their latest published version')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { workflows } = await apiClient().request<{ workflows: Summary[] }>('GET', '/workflows');
      if (options.json) return printJson(workflows);
      printTable(
        workflows.map((w) => ({
          id: w.id,
          name: w.name,
          version: w.latestVersion ? `v${w.latestVersion.version}` : 'draft',
          template: w.templateId ?? '',
          updated: w.updatedAt,
        })),
        ['id', 'name', 'version', 'template', 'updated'],
      );
    });

  command
    .command('publish')
    .argument('<workflow>', 'workflow id or name')
    .option('--json', 'print JSON')
    .description('publish the current graph as a new version (runs use the latest published version)')
    .action(async (workflow: string, options: { json?: boolean }) => {
      const api = apiClient();
      const id = await resolveWorkflow(api, workflow);
      const published = await publishWorkflow(api, id);
      if (options.json) return printJson({ id, ...published });
      console.log(
        published.created
          ? `published ${id} as v${published.version} (plan ${published.planHash.slice(0, 12)})`
          : `unchanged: ${id} is already v${published.version} (plan ${published.planHash.slice(0, 12)})`,
      );
    });

  command
    .command('export')
    .argument('<id>', 'workflow id')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .description('export a workflow as a trellis-workflow JSON document')
    .action(async (id: string, options: { out?: string }) => {
      const document = await apiClient().request<unknown>('GET', `/workflows/${encodeURIComponent(id)}/export`);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });

  command
    .command('import')
    .argument('<files...>', 'trellis-workflow JSON documents')
    .option('--json', 'print JSON')
    .option('--accept-modified', 'import files changed since their export (their contentHash no longer matches)')
    .description('import exported workflows (each becomes a new workflow)')
    .action(async (files: string[], options: { json?: boolean; acceptModified?: boolean }) => {
      const api = apiClient();
      const bar = progress(files.length, options.json === true || files.length < 2);
      const imported: { file: string; id: string; name: string }[] = [];
      for (const [index, file] of files.entries()) {
        const document = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        const { workflow } = await api.request<{ workflow: { id: string; name: string } }>(
          'POST',
          options.acceptModified ? '/workflows/import?acceptModified=true' : '/workflows/import',
          document,
        );
        imported.push({ file, id: workflow.id, name: workflow.name });
        bar.update(index + 1, file);
      }
      bar.stop();
      if (options.json) printJson(imported);
      else printTable(imported, ['id', 'name', 'file']);
    });

  return command;
}
