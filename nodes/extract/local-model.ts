// The local tier's name in the ledger: the extractor and the versions of its trained models.
import { EXTRACTOR_VERSION } from '../../extraction/extract.ts';
import { loadModels } from '../../extraction/models/load.ts';

/** `intentVersion`: the intent model actually used (a retrained live one), the shipped one when omitted. */
export function localModelName(intentVersion?: string): string {
  const models = loadModels();
  return `${EXTRACTOR_VERSION} ${intentVersion ?? models.intent?.version ?? 'intent prior'} ${models.calibration?.version ?? 'uncalibrated'}`;
}
