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
  const w = new Map(names.map((n) => [n, 0]));
  let b = 0;
  const n = examples.length || 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Map(names.map((name) => [name, 0]));
    let gb = 0;
    for (const e of examples) {
      let z = b;
      for (const [name, value] of Object.entries(e.features)) z += (w.get(name) ?? 0) * value;
      const d = sigmoid(z) - e.y;
      gb += d;
      for (const [name, value] of Object.entries(e.features)) grad.set(name, grad.get(name)! + d * value);
    }
    b -= (learningRate * gb) / n;
    for (const name of names) w.set(name, w.get(name)! - learningRate * (grad.get(name)! / n + l2 * w.get(name)!));
  }
  const weights = Object.fromEntries([...w.entries()].map(([name, value]) => [name, Math.round(value * 1e4) / 1e4]));
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
