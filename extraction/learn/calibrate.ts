// The route's calibration: per-field logistic models of "this field is right", fitted on dev
// emails extracted out-of-fold, and the thresholds that let the most through while what passes
// stays right TARGET_PRECISION of the time (out-of-fold), or nothing. Used by train.ts; deterministic.
import { fields, type Field, type FieldCalibration } from '../confidence/assess.ts';
import type { Features } from './linear-model.ts';
import { fitLogistic, type Example } from './logistic.ts';

/** What passes without a person must be right this often on dev, with room for unseen mail. */
export const TARGET_PRECISION = 0.95;
/** A threshold must let at least this many dev emails through to mean anything. */
const MIN_PASS = 10;
const FOLDS = 5;

export interface Cut {
  passed: number;
  right: number;
}

/**
 * Of cuts ordered from loosest to strictest, the loosest whose every stricter cut (with at least
 * MIN_PASS through) also keeps TARGET_PRECISION; undefined when none does. The first cut that
 * merely touches the target on a noisy curve would let through a band right less often than it seems.
 */
export function lowestSafeCut<C extends Cut>(cuts: C[]): C | undefined {
  let best: C | undefined;
  for (let i = cuts.length - 1; i >= 0; i--) {
    const cut = cuts[i]!;
    if (cut.passed < MIN_PASS) continue;
    if (cut.right / cut.passed < TARGET_PRECISION) break;
    best = cut;
  }
  return best;
}

export interface CalibrationSample {
  id: string;
  signals: Record<Field, Features>;
  right: Record<Field, boolean>;
}

/** Area under the ROC curve: how well a probability ranks right above wrong. */
function auc(points: { p: number; y: boolean }[]): number {
  const pos = points.filter((x) => x.y);
  const neg = points.filter((x) => !x.y);
  if (pos.length === 0 || neg.length === 0) return 1;
  let wins = 0;
  for (const a of pos) for (const b of neg) wins += a.p > b.p ? 1 : a.p === b.p ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

export function fitCalibration(
  samples: CalibrationSample[],
  foldOf: (id: string) => number,
  log: (line: string) => void,
): { fields: Record<Field, FieldCalibration>; passed: number; right: number } {
  // Out-of-fold calibrated probabilities, to choose the route threshold honestly.
  const oof = samples.map(() => ({}) as Record<Field, number>);
  const finalFields = {} as Record<Field, FieldCalibration>;
  for (const field of fields) {
    const examples: Example[] = samples.map((s) => ({ features: s.signals[field], y: s.right[field] ? 1 : 0 }));
    // Regularisation by out-of-fold log-loss: the least that does not overfit the few errors.
    let best = { l2: 0.01, loss: Infinity, probabilities: [] as number[] };
    for (const l2 of [0.001, 0.003, 0.01, 0.03, 0.1]) {
      const probabilities = samples.map(() => 0.5);
      for (let fold = 0; fold < FOLDS; fold++) {
        const fit = fitLogistic(
          examples.filter((_, i) => foldOf(samples[i]!.id) !== fold),
          l2,
        );
        samples.forEach((s, i) => {
          if (foldOf(s.id) === fold) probabilities[i] = fit.probability(s.signals[field]);
        });
      }
      const loss =
        -probabilities.reduce(
          (sum, p, i) => sum + Math.log(examples[i]!.y ? Math.max(p, 1e-6) : Math.max(1 - p, 1e-6)),
          0,
        ) / probabilities.length;
      if (loss < best.loss) best = { l2, loss, probabilities };
    }
    samples.forEach((_, i) => (oof[i]![field] = best.probabilities[i]!));
    const fit = fitLogistic(examples, best.l2);
    finalFields[field] = { bias: fit.bias, weights: fit.weights, threshold: 0.99 };
    const rate = examples.filter((e) => e.y === 1).length / examples.length;
    log(
      `${field}: right on ${(rate * 100).toFixed(0)} % of dev; l2 ${best.l2}, out-of-fold log-loss ${best.loss.toFixed(3)}, ` +
        `AUC ${auc(samples.map((s, i) => ({ p: oof[i]![field], y: s.right[field] }))).toFixed(3)}`,
    );
  }

  // The route: a person checks whenever a field's calibrated chance is below its threshold. The
  // thresholds move together (one quantile, below), the lowest at which what passes, and what
  // passes at every stricter one, stays at TARGET_PRECISION on out-of-fold dev (at least MIN_PASS
  // through); where none does, nothing passes. A threshold per field searched jointly fitted the few dev errors and let wrong
  // results through on unseen mail.
  const ys = samples.map((s) => fields.every((f) => s.right[f]));
  log(`fully right out-of-fold: ${ys.filter(Boolean).length} of ${ys.length}`);
  // Each field's threshold is the same quantile of its own out-of-fold chances (fields differ in
  // scale: amounts are right far more often than dates).
  const sorted = Object.fromEntries(fields.map((f) => [f, oof.map((p) => p[f]).sort((x, y) => x - y)])) as Record<
    Field,
    number[]
  >;
  const atQuantile = (q: number) =>
    Object.fromEntries(
      fields.map((f) => [
        f,
        Math.floor(sorted[f][Math.min(sorted[f].length - 1, Math.floor(q * sorted[f].length))]! * 1000) / 1000,
      ]),
    ) as Record<Field, number>;
  const nothingPasses = Object.fromEntries(fields.map((f) => [f, 1])) as Record<Field, number>;
  const cuts = Array.from({ length: 101 }, (_, step) => {
    const thresholds = atQuantile(step / 100);
    const through = oof.map((p) => fields.every((f) => p[f] >= thresholds[f]));
    return {
      thresholds,
      passed: through.filter(Boolean).length,
      right: through.filter((t, i) => t && ys[i]).length,
    };
  });
  if (process.env.CALIB_CURVE)
    cuts.forEach((cut, step) => step % 5 === 0 && log(`  q ${step / 100}: ${cut.passed} pass, ${cut.right} right`));
  const bestCut = lowestSafeCut(cuts) ?? { thresholds: nothingPasses, passed: 0, right: 0 };
  for (const field of fields) finalFields[field].threshold = bestCut.thresholds[field];
  log(
    `route thresholds ${fields.map((f) => `${f} ${bestCut.thresholds[f]}`).join(', ')}: ${bestCut.passed} of ${samples.length} dev emails pass, ` +
      `${bestCut.right} of them fully right (out-of-fold)`,
  );
  return { fields: finalFields, passed: bestCut.passed, right: bestCut.right };
}
