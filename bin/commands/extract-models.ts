import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printReport, type CanaryReport } from './canary.ts';
import { printJson, printTable } from './output.ts';

interface ModelVersion {
  id: string;
  status: string;
  baseVersion: string;
  features: number;
  reportId?: string;
  training: { examples: number; rightBefore: number; rightAfter: number; labels: Record<string, number> };
  createdBy: string;
  createdAt: string;
}

function printModel(model: ModelVersion): void {
  const { training } = model;
  console.log(`${model.id}: ${model.status} (from ${model.baseVersion}, ${model.features} features)`);
  console.log(
    `  learned ${training.examples} corrections (${Object.entries(training.labels)
      .map(([label, n]) => `${n} ${label}`)
      .join(', ')}); the shipped model had ${training.rightBefore} of them right, this one ${training.rightAfter}`,
  );
}

/** `trellis extract retrain`: the intent model fine-tuned with the stored corrections, then its canary. */
export function retrainCommand(): Command {
  return new Command('retrain')
    .description(
      'retrain the intent model from corrections and canary it against past runs (promote its report to go live)',
    )
    .option('--by <name>', 'who asks for it', process.env.USER)
    .option('--epochs <n>', 'gradient-descent passes', (value) => Number.parseInt(value, 10))
    .option('--workflow <id>', "canary only this workflow's past runs")
    .option('--no-canary', 'only train and keep the proposal')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      // `trellis extract` has a --json of its own, which takes the flag: read both.
      const options = command.optsWithGlobals<{
        by?: string;
        epochs?: number;
        workflow?: string;
        canary: boolean;
        json?: boolean;
      }>();
      if (!options.json) console.error('retraining from corrections, then reading past runs with it…');
      const answer = await apiClient().request<{ model: ModelVersion; report?: CanaryReport }>(
        'POST',
        '/control/extraction/retrain',
        {
          ...(options.by ? { by: options.by } : {}),
          ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
          ...(options.workflow ? { workflowId: options.workflow } : {}),
          canary: options.canary,
        },
      );
      if (options.json) return printJson(answer);
      printModel(answer.model);
      if (!answer.report) return;
      printReport(answer.report);
      const figures = answer.report.summary?.extraction;
      if (figures)
        console.log(
          `  intent on ${figures.compared} past extract steps: ${figures.changed} changed; of ${figures.reviewed} a person decided, ` +
            `live model right on ${figures.liveAgrees}, this one on ${figures.candidateAgrees}`,
        );
      console.log(`  to make it live: trellis canary promote ${answer.report.id}`);
    });
}

/** `trellis extract models`: the retrained versions with their status. */
export function modelsCommand(): Command {
  return new Command('models')
    .description('list the intent model versions retrained from corrections, with their status')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<{ json?: boolean }>();
      const answer = await apiClient().request<{ shipped: string | null; live: string; models: ModelVersion[] }>(
        'GET',
        '/control/extraction/models',
      );
      if (options.json) return printJson(answer);
      console.log(`live: ${answer.live}${answer.live === answer.shipped ? ' (shipped)' : ''}`);
      printTable(
        answer.models.map((m) => ({
          id: m.id,
          status: m.status,
          examples: m.training.examples,
          right: `${m.training.rightBefore} → ${m.training.rightAfter}`,
          report: m.reportId ?? '',
          by: m.createdBy,
          created: m.createdAt,
        })),
        ['id', 'status', 'examples', 'right', 'report', 'by', 'created'],
      );
    });
}
