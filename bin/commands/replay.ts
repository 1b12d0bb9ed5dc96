import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson } from './output.ts';
import { followRun } from './run-wait.ts';

/** `trellis replay <id>`: replays the run's history against the current workflow code. */
export function replayCommand(): Command {
  return new Command('replay')
    .description("check a run's history against the current workflow code (determinism)")
    .argument('<runId>', 'run id')
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      if (!options.json) process.stderr.write('trellis: replaying (bundles the workflow code, a few seconds)…\n');
      const result = await apiClient().request<{ ok: boolean; error?: string }>(
        'POST',
        `/runs/${encodeURIComponent(runId)}/replay`,
      );
      if (options.json) printJson(result);
      else console.log(result.ok ? `${runId}: replays cleanly` : `${runId}: NOT deterministic: ${result.error ?? ''}`);
      if (!result.ok) process.exitCode = 1;
    });
}

/** `trellis rerun <id> --from <node>`: a new run reusing outputs before the node. */
export function rerunCommand(): Command {
  return new Command('rerun')
    .description('re-run a run from a node (earlier outputs are reused) and follow the new run')
    .argument('<runId>', 'run id')
    .requiredOption('--from <node>', 'node id to run again (with everything after it)')
    .option('--no-wait', 'return once the new run is started')
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { from: string; wait: boolean; json?: boolean }) => {
      const api = apiClient();
      const started = await api.request<{ runId: string; reused: string[] }>(
        'POST',
        `/runs/${encodeURIComponent(runId)}/rerun`,
        {
          fromNode: options.from,
        },
      );
      const detail = options.wait ? await followRun(api, started.runId, options.json === true) : undefined;
      const diff = detail
        ? await api.request<{ diff: { nodeId: string; change: string }[] }>(
            'GET',
            `/runs/${encodeURIComponent(started.runId)}/diff?against=${encodeURIComponent(runId)}`,
          )
        : undefined;
      if (options.json) return printJson({ ...started, ...(detail ?? {}), ...(diff ?? {}) });
      console.log(`${started.runId}: reused ${started.reused.join(', ') || 'nothing'}`);
      if (detail) console.log(`  ${detail.run.status}`);
      for (const node of diff?.diff ?? []) console.log(`  ${node.nodeId.padEnd(20)} ${node.change}`);
    });
}
