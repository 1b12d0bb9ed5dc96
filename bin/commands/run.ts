import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ApiCallError, apiClient, type ApiClient } from './api-client.ts';
import { printJson } from './output.ts';
import { followRun } from './run-wait.ts';

/** A workflow by id, or by its exact name when exactly one has it. */
export async function resolveWorkflow(api: ApiClient, idOrName: string): Promise<string> {
  const { workflows } = await api.request<{ workflows: { id: string; name: string }[] }>('GET', '/workflows');
  if (workflows.some((w) => w.id === idOrName)) return idOrName;
  const named = workflows.filter((w) => w.name === idOrName);
  if (named.length === 1) return named[0]!.id;
  throw new Error(
    named.length > 1 ? `several workflows are named "${idOrName}": use the id` : `no workflow "${idOrName}"`,
  );
}

/** `trellis run <workflow> --input file`: starts a run of the published version and follows it. */
export function runCommand(): Command {
  return new Command('run')
    .description('start a run of a published workflow and follow it')
    .argument('<workflow>', 'workflow id or name')
    .requiredOption('-i, --input <file>', 'JSON file: { "data": {...} } or { "event": {...} } (or plain data)')
    .option('--version <n>', 'published version (default: the latest)', (value) => Number(value))
    .option('--key <key>', 'idempotency key (the same key never starts a second run)')
    .option('--no-wait', 'return once the run is started')
    .option('--json', 'print JSON')
    .action(
      async (
        workflow: string,
        options: { input: string; version?: number; key?: string; wait: boolean; json?: boolean },
      ) => {
        const api = apiClient();
        const id = await resolveWorkflow(api, workflow);
        const parsed = JSON.parse(readFileSync(options.input, 'utf8')) as Record<string, unknown>;
        const input = 'data' in parsed || 'event' in parsed ? parsed : { data: parsed };
        const started = await api
          .request<{ runId: string; started: boolean; version: number }>('POST', `/workflows/${id}/runs`, {
            input,
            ...(options.version ? { version: options.version } : {}),
            ...(options.key ? { idempotencyKey: options.key } : {}),
          })
          .catch((error: unknown) => {
            // A template installs as a draft: say how to make it runnable.
            if (error instanceof ApiCallError && error.status === 404 && options.version === undefined)
              throw new Error(`${error.message}\npublish it first: trellis workflows publish ${id}`);
            throw error;
          });
        if (!options.wait) {
          if (options.json) return printJson(started);
          return console.log(
            `${started.started ? 'started' : 'already started'}: ${started.runId} (v${started.version})`,
          );
        }
        const detail = await followRun(api, started.runId, options.json === true);
        if (options.json) return printJson({ ...started, ...detail });
        console.log(
          `${detail.run.runId}: ${detail.status.status === 'waiting' ? 'waiting for review' : detail.run.status}`,
        );
        if (detail.run.status === 'failed') process.exitCode = 1;
      },
    );
}
