// Which intent model reads the mail: a model retrained from corrections once its canary report
// was promoted (store/extraction-models.ts), otherwise the weights shipped in extraction/models/.
// Looked up inside the activity, so the version used is in the activity's recorded output (the
// ledger's model and notes) and a replayed workflow never looks it up again.
import type { LinearModel } from '../../extraction/learn/linear-model.ts';
import { loadModels, type Models } from '../../extraction/models/load.ts';
import type { Queryable } from '../../store/db.ts';
import { liveModel } from '../../store/extraction-models.ts';

export interface ResolvedModels {
  models: Models;
  /** The intent model's version, and whether it is a retrained one. */
  intentVersion: string;
  retrained: boolean;
}

export async function resolveModels(db: Queryable | undefined): Promise<ResolvedModels> {
  const shipped = loadModels();
  const live = db ? await liveModel(db) : undefined;
  const intent: LinearModel | undefined = live?.model ?? shipped.intent;
  return {
    models: { ...shipped, ...(intent ? { intent } : {}) },
    intentVersion: intent?.version ?? 'intent prior',
    retrained: live !== undefined,
  };
}
