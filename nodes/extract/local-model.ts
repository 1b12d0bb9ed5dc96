// The local tier's name in the ledger: the extractor and the versions of its trained models.
import { EXTRACTOR_VERSION } from '../../extraction/extract.ts';
import { loadModels } from '../../extraction/models/load.ts';

export function localModelName(): string {
  const models = loadModels();
  return `${EXTRACTOR_VERSION} ${models.intent?.version ?? 'intent prior'} ${models.calibration?.version ?? 'uncalibrated'}`;
}
