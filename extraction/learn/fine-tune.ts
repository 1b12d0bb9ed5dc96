// Fine-tuning a trained linear model with a few more labelled examples (a person's corrections):
// it starts from the prior's weights and is pulled back toward them (L2 toward the prior), so
// what the examples teach moves the model and little else does. Pure and deterministic.
import { predict, softmax, type Features, type LinearModel } from './linear-model.ts';

export interface FineTuneExample {
  features: Features;
  label: string;
  /** How much this example counts (1 when omitted). */
  weight?: number;
}

export interface FineTuneOptions {
  version: string;
  note: string;
  /** At most this many passes of full-batch gradient descent (default 200). */
  epochs?: number;
  learningRate?: number;
  /** Strength of the pull toward the prior's weights, for the features (and bias) the prior has. */
  l2?: number;
  /** Strength of the pull toward zero of features the prior never saw (the corrected emails' words). */
  l2New?: number;
  /**
   * Stop once every example gets its label with at least this probability: the least change
   * that makes the corrections right, so the rest of what the model knows moves as little as it can.
   */
  enough?: number;
}

export const FINE_TUNE_DEFAULTS = { epochs: 200, learningRate: 0.5, l2: 0.2, l2New: 0.01, enough: 0.8 } as const;

/**
 * Minimises the examples' weighted cross-entropy plus l2/2·‖W − W_prior‖² by gradient descent
 * started at the prior. Features the prior never saw (the words of a corrected email) start at
 * zero and are pulled toward zero. The classes are the prior's; a label outside them is refused.
 */
export function fineTune(prior: LinearModel, examples: FineTuneExample[], options: FineTuneOptions): LinearModel {
  const K = prior.classes.length;
  const epochs = options.epochs ?? FINE_TUNE_DEFAULTS.epochs;
  const lr = options.learningRate ?? FINE_TUNE_DEFAULTS.learningRate;
  const l2 = options.l2 ?? FINE_TUNE_DEFAULTS.l2;
  const l2New = options.l2New ?? FINE_TUNE_DEFAULTS.l2New;
  const enough = options.enough ?? FINE_TUNE_DEFAULTS.enough;
  for (const example of examples)
    if (!prior.classes.includes(example.label))
      throw new Error(`label "${example.label}" is not one of the model's classes (${prior.classes.join(', ')})`);
  const names = [
    ...new Set([...Object.keys(prior.weights), ...examples.flatMap((e) => Object.keys(e.features))]),
  ].sort();
  const index = new Map(names.map((name, j) => [name, j]));
  const W0 = names.map((name) => prior.weights[name] ?? new Array<number>(K).fill(0));
  const pull = names.map((name) => (name in prior.weights ? l2 : l2New));
  const W = W0.map((row) => [...row]);
  const b = [...prior.bias];
  const rows = examples.map((e) => ({
    feats: Object.entries(e.features)
      .filter(([, value]) => value !== 0)
      .map(([name, value]) => [index.get(name)!, value] as const),
    y: prior.classes.indexOf(e.label),
    weight: e.weight ?? 1,
  }));
  const total = rows.reduce((sum, row) => sum + row.weight, 0) || 1;
  // A step scaled by the examples' size (normalised LMS): an email has a hundred active features,
  // and a plain step on each would move its scores a hundred times as far as intended.
  const size =
    rows.reduce((sum, row) => sum + row.weight * (1 + row.feats.reduce((n, [, v]) => n + v * v, 0)), 0) / total;
  const step = lr / Math.max(1, size);
  let ran = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gW = new Map<number, number[]>();
    const gb = new Array<number>(K).fill(0);
    let settled = true;
    for (const row of rows) {
      const scores = [...b];
      for (const [j, value] of row.feats) for (let k = 0; k < K; k++) scores[k]! += W[j]![k]! * value;
      const p = softmax(scores);
      if (p[row.y]! < enough) settled = false;
      const w = row.weight / total;
      for (let k = 0; k < K; k++) {
        const d = (p[k]! - (k === row.y ? 1 : 0)) * w;
        gb[k]! += d;
        for (const [j, value] of row.feats) {
          const grad = gW.get(j) ?? gW.set(j, new Array<number>(K).fill(0)).get(j)!;
          grad[k]! += d * value;
        }
      }
    }
    if (settled) break;
    ran++;
    // Only the weights the examples touch, or that were moved away from the prior, change.
    for (let j = 0; j < names.length; j++) {
      const grad = gW.get(j);
      const row = W[j]!;
      const base = W0[j]!;
      const strength = pull[j]!;
      for (let k = 0; k < K; k++) row[k]! -= step * (grad?.[k] ?? 0) + lr * strength * (row[k]! - base[k]!);
    }
    for (let k = 0; k < K; k++) b[k]! -= step * gb[k]! + lr * l2 * (b[k]! - prior.bias[k]!);
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  names.forEach((name, j) => {
    if (W[j]!.some((w) => Math.abs(w) > 1e-3)) weights[name] = W[j]!.map(round);
  });
  return {
    version: options.version,
    classes: [...prior.classes],
    bias: b.map(round),
    weights,
    trainedOn: { examples: examples.length, l2, epochs: ran, note: options.note, base: prior.version },
  };
}

/** The label a model gives these features. */
export function labelOf(model: LinearModel, features: Features): string {
  const p = predict(model, features);
  return model.classes[p.indexOf(Math.max(...p))]!;
}
