// Retraining the intent model from the operator's corrections: the shipped model fine-tuned with
// every correction that says which intent an email has. The result is only a proposal (status
// `proposed`): it goes through a canary against past runs and becomes live only by promoting
// that report (control/canary/model-canary.ts, control/canary/promote.ts).
import { createHash } from 'node:crypto';
import { FINE_TUNE_DEFAULTS, fineTune, labelOf } from '../../extraction/learn/fine-tune.ts';
import { loadModels } from '../../extraction/models/load.ts';
import type { Queryable } from '../../store/db.ts';
import { getModel, insertModel, type StoredModel, type TrainingSummary } from '../../store/extraction-models.ts';
import { ControlError, nowOf, type ControlDeps } from '../deps.ts';
import { intentExamplesFromCorrections } from './intent-examples.ts';

export interface RetrainOptions {
  by?: string;
  epochs?: number;
  l2?: number;
  l2New?: number;
}

/**
 * Fine-tunes the shipped intent model (never a retrained one: each retrain learns all the
 * corrections once, from the same prior) and stores it as a proposal. The version names the
 * day and a hash of what it learned, so the same corrections and settings give the same model.
 */
export async function retrainIntentModel(
  deps: Pick<ControlDeps, 'now'> & { db: Queryable },
  options: RetrainOptions = {},
): Promise<StoredModel> {
  const prior = loadModels().intent;
  if (!prior) throw new ControlError('no shipped intent model to start from (extraction/models/intent.json)', 500);
  const { examples, skipped } = await intentExamplesFromCorrections(deps.db);
  if (examples.length === 0)
    throw new ControlError(
      `no corrections of intent to learn from${skipped.length > 0 ? ` (${skipped.length} skipped: ${skipped[0]!.reason})` : ''}`,
    );
  const settings = {
    epochs: options.epochs ?? FINE_TUNE_DEFAULTS.epochs,
    l2: options.l2 ?? FINE_TUNE_DEFAULTS.l2,
    l2New: options.l2New ?? FINE_TUNE_DEFAULTS.l2New,
  };
  const digest = createHash('sha256')
    .update(JSON.stringify([prior.version, settings, examples.map((e) => [e.taskId, e.label])]))
    .digest('hex')
    .slice(0, 10);
  const version = `${prior.version}+${nowOf(deps).toISOString().slice(0, 10)}.${digest}`;
  const existing = await getModel(deps.db, version);
  if (existing) return existing;
  const model = fineTune(prior, examples, {
    version,
    note: `${prior.version} fine-tuned with ${examples.length} corrections`,
    ...settings,
  });
  const labels: Record<string, number> = {};
  for (const example of examples) labels[example.label] = (labels[example.label] ?? 0) + 1;
  const training: TrainingSummary = {
    examples: examples.length,
    tasks: examples.map((e) => e.taskId),
    skipped,
    labels,
    ...settings,
    rightBefore: examples.filter((e) => labelOf(prior, e.features) === e.label).length,
    rightAfter: examples.filter((e) => labelOf(model, e.features) === e.label).length,
  };
  return insertModel(deps.db, { model, baseVersion: prior.version, training, createdBy: options.by ?? 'operator' });
}
