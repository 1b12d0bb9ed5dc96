// Binary logistic regression for the calibration of one field: small, L2-regularised, fitted
// by gradient descent (deterministic).
import type { Features } from './linear-model.ts';

export interface Example {
  features: Features;
  y: 0 | 1;
}

export interface LogisticFit {
  bias: number;
  weights: Record<string, number>;
  probability(features: Features): number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitLogistic(examples: Example[], l2: number, epochs = 4000, learningRate = 0.5): LogisticFit {
  const names = [...new Set(examples.flatMap((e) => Object.keys(e.features)))].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  // Features as index/value arrays: the same sums in the same order as by name, many times faster.
  const rows = examples.map((e) => {
    const entries = Object.entries(e.features);
    return { at: entries.map(([name]) => index.get(name)!), values: entries.map(([, v]) => v), y: e.y };
  });
  const w = new Float64Array(names.length);
  const grad = new Float64Array(names.length);
  let b = 0;
  const n = examples.length || 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    let gb = 0;
    for (const row of rows) {
      let z = b;
      for (let k = 0; k < row.at.length; k++) z += w[row.at[k]!]! * row.values[k]!;
      const d = sigmoid(z) - row.y;
      gb += d;
      for (let k = 0; k < row.at.length; k++) grad[row.at[k]!]! += d * row.values[k]!;
    }
    b -= (learningRate * gb) / n;
    for (let j = 0; j < names.length; j++) w[j] = w[j]! - learningRate * (grad[j]! / n + l2 * w[j]!);
  }
  const weights = Object.fromEntries(names.map((name, j) => [name, Math.round(w[j]! * 1e4) / 1e4]));
  const bias = Math.round(b * 1e4) / 1e4;
  return {
    bias,
    weights,
    probability(features) {
      let z = bias;
      for (const [name, value] of Object.entries(features)) z += (weights[name] ?? 0) * value;
      return sigmoid(z);
    },
  };
}
