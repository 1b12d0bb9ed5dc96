// A multinomial logistic regression over sparse named features: small, fast, readable, and
// trained by a script in this repository (extraction/learn/train.ts) from labelled emails.
// Its weights are a versioned JSON file; a retrained model goes live only through a canary.

export type Features = Record<string, number>;

export interface LinearModel {
  version: string;
  classes: string[];
  bias: number[];
  weights: Record<string, number[]>;
  /** How it was trained: examples, regularisation, the corpus commit, for the ledger and RESULTS. */
  trainedOn: { examples: number; l2: number; epochs: number; note: string; base?: string };
}

export function predict(model: LinearModel, features: Features): number[] {
  const scores = [...model.bias];
  for (const [name, value] of Object.entries(features)) {
    const row = model.weights[name];
    if (!row || value === 0) continue;
    for (let k = 0; k < scores.length; k++) scores[k]! += row[k]! * value;
  }
  return softmax(scores);
}

export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export interface TrainOptions {
  l2: number;
  epochs: number;
  learningRate: number;
  version: string;
  note: string;
  /** Per-example weights (e.g. to balance classes); 1 when omitted. */
  sampleWeights?: number[];
}

/** Full-batch gradient descent with Adam on the L2-regularised cross-entropy. Deterministic. */
export function train(
  examples: { features: Features; label: string }[],
  classes: string[],
  options: TrainOptions,
): LinearModel {
  const K = classes.length;
  const names = [...new Set(examples.flatMap((e) => Object.keys(e.features)))].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const W = names.map(() => new Array<number>(K).fill(0));
  const b = new Array<number>(K).fill(0);
  const mW = names.map(() => new Array<number>(K).fill(0));
  const vW = names.map(() => new Array<number>(K).fill(0));
  const mb = new Array<number>(K).fill(0);
  const vb = new Array<number>(K).fill(0);
  const rows = examples.map((e) => ({
    feats: Object.entries(e.features).map(([name, value]) => [index.get(name)!, value] as const),
    y: classes.indexOf(e.label),
  }));
  const weightOf = (i: number) => options.sampleWeights?.[i] ?? 1;
  const total = rows.reduce((sum, _, i) => sum + weightOf(i), 0);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const gW = names.map(() => new Array<number>(K).fill(0));
    const gb = new Array<number>(K).fill(0);
    rows.forEach((row, i) => {
      const scores = [...b];
      for (const [j, value] of row.feats) for (let k = 0; k < K; k++) scores[k]! += W[j]![k]! * value;
      const p = softmax(scores);
      const w = weightOf(i) / total;
      for (let k = 0; k < K; k++) {
        const d = (p[k]! - (k === row.y ? 1 : 0)) * w;
        gb[k]! += d;
        for (const [j, value] of row.feats) gW[j]![k]! += d * value;
      }
    });
    const lr = options.learningRate;
    const step = (param: number[], grad: number[], m: number[], v: number[], decay: boolean) => {
      for (let k = 0; k < K; k++) {
        const g = grad[k]! + (decay ? options.l2 * param[k]! : 0);
        m[k] = beta1 * m[k]! + (1 - beta1) * g;
        v[k] = beta2 * v[k]! + (1 - beta2) * g * g;
        const mHat = m[k]! / (1 - beta1 ** epoch);
        const vHat = v[k]! / (1 - beta2 ** epoch);
        param[k]! -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    };
    for (let j = 0; j < names.length; j++) step(W[j]!, gW[j]!, mW[j]!, vW[j]!, true);
    step(b, gb, mb, vb, false);
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  names.forEach((name, j) => {
    if (W[j]!.some((w) => Math.abs(w) > 1e-3)) weights[name] = W[j]!.map(round);
  });
  return {
    version: options.version,
    classes,
    bias: b.map(round),
    weights,
    trainedOn: { examples: examples.length, l2: options.l2, epochs: options.epochs, note: options.note },
  };
}
