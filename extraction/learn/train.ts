// Trains the intent model and fits the confidence calibration from the labelled dev split (and
// the older fixtures, for intent), then writes them to extraction/models/. The test split is
// never read here. Run: node extraction/learn/train.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fields, type Calibration, type Field, type FieldCalibration } from '../confidence/assess.ts';
import { extractFindings } from '../extract.ts';
import { intentLabels } from '../intent/classify.ts';
import { loadCorpus, type LabelledEmail } from './corpus.ts';
import { fitLogistic, type Example } from './logistic.ts';
import { predict, train, type Features, type LinearModel } from './linear-model.ts';
import { sameClient, scoreEmail } from './score.ts';

const modelsDir = path.resolve(import.meta.dirname, '../models');
const FOLDS = 5;
/** What passes without a person must be right this often on dev, with room for unseen mail. */
const TARGET_PRECISION = 0.97;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Deterministic folds: by a hash of the id, so a re-run trains the same models. */
function foldOf(id: string): number {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return Math.abs(h) % FOLDS;
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

function pruneWords(rows: { features: Features }[], minDocs: number): Set<string> {
  const df = new Map<string, number>();
  for (const row of rows)
    for (const name of Object.keys(row.features)) if (name.startsWith('w:')) df.set(name, (df.get(name) ?? 0) + 1);
  return new Set([...df.entries()].filter(([, n]) => n >= minDocs).map(([name]) => name));
}

interface IntentSetting {
  l2: number;
  /** Keep word features seen in at least this many training emails (Infinity: none). */
  minDocs: number;
}

function trainIntent(rows: { features: Features; label: string }[], setting: IntentSetting, note: string): LinearModel {
  const keep = pruneWords(rows, setting.minDocs);
  const pruned = rows.map((row) => ({
    label: row.label,
    features: Object.fromEntries(
      Object.entries(row.features).filter(([name]) => !name.startsWith('w:') || keep.has(name)),
    ),
  }));
  const counts = new Map<string, number>();
  for (const row of pruned) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  const sampleWeights = pruned.map((row) => pruned.length / (intentLabels.length * (counts.get(row.label) ?? 1)));
  return train(pruned, [...intentLabels], {
    l2: setting.l2,
    epochs: 400,
    learningRate: 0.05,
    version: 'intent@',
    note,
    sampleWeights,
  });
}

function argmax(model: LinearModel, features: Features): string {
  const p = predict(model, features);
  return model.classes[p.indexOf(Math.max(...p))]!;
}

async function main(): Promise<void> {
  const dev = await loadCorpus(['dev']);
  const fixtures = await loadCorpus(['fixtures']);
  const all = [...dev, ...fixtures];
  const featuresOf = new Map(all.map((email) => [email.id, extractFindings(email.input).intentFeatures]));
  const rows = (emails: LabelledEmail[]) =>
    emails.map((e) => ({ features: featuresOf.get(e.id)!, label: e.label.intent }));

  // Regularisation chosen by cross-validated accuracy on dev (fixtures always train).
  let best = { setting: { l2: 0.01, minDocs: 2 }, accuracy: -1 };
  for (const minDocs of [2, 4, Infinity]) {
    for (const l2 of [0.003, 0.01, 0.03, 0.1]) {
      const setting = { l2, minDocs };
      let right = 0;
      for (let fold = 0; fold < FOLDS; fold++) {
        const model = trainIntent(rows([...dev.filter((e) => foldOf(e.id) !== fold), ...fixtures]), setting, 'cv');
        right += dev.filter(
          (e) => foldOf(e.id) === fold && argmax(model, featuresOf.get(e.id)!) === e.label.intent,
        ).length;
      }
      log(`intent l2=${l2} words>=${minDocs}: cross-validated accuracy on dev ${(right / dev.length).toFixed(3)}`);
      if (right / dev.length > best.accuracy + 1e-9) best = { setting, accuracy: right / dev.length };
    }
  }

  // Calibration data: every dev email extracted with an intent model that never saw it.
  const samples: { signals: Record<Field, Features>; right: Record<Field, boolean>; id: string }[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = trainIntent(rows([...dev.filter((e) => foldOf(e.id) !== fold), ...fixtures]), best.setting, 'cv');
    for (const email of dev.filter((e) => foldOf(e.id) === fold)) {
      const { result, assessment } = extractFindings(email.input, { models: { intent: model } });
      if (process.env.TRAIN_VERBOSE && result.intent.label !== email.label.intent)
        log(`  ${email.id}: ${email.label.intent} → ${result.intent.label} (${email.kind})`);
      const score = scoreEmail({ ...result, route: 'person' }, email.label);
      samples.push({
        id: email.id,
        signals: assessment.signals,
        right: {
          intent: score.intent,
          client: sameClient(result.client?.name, email.label.client),
          dates: score.dates.missed.length === 0 && score.dates.invented.length === 0,
          amounts: score.amounts.missed.length === 0 && score.amounts.invented.length === 0,
          actions: score.actions.inBounds,
        },
      });
    }
  }

  // Out-of-fold calibrated probabilities, to choose the route threshold honestly.
  const oof = samples.map(() => ({}) as Record<Field, number>);
  const finalFields = {} as Record<Field, FieldCalibration>;
  for (const field of fields) {
    const examples: Example[] = samples.map((s) => ({ features: s.signals[field], y: s.right[field] ? 1 : 0 }));
    for (let fold = 0; fold < FOLDS; fold++) {
      const fit = fitLogistic(
        examples.filter((_, i) => foldOf(samples[i]!.id) !== fold),
        0.05,
      );
      samples.forEach((s, i) => {
        if (foldOf(s.id) === fold) oof[i]![field] = fit.probability(s.signals[field]);
      });
    }
    const fit = fitLogistic(examples, 0.05);
    finalFields[field] = { bias: fit.bias, weights: fit.weights };
    log(`${field}: out-of-fold AUC ${auc(samples.map((s, i) => ({ p: oof[i]![field], y: s.right[field] }))).toFixed(3)}`);
    const rate = examples.filter((e) => e.y === 1).length / examples.length;
    log(`${field}: right on ${(rate * 100).toFixed(0)} % of dev`);
  }

  // Experiment: one model of "every field right" over all signals.
  {
    const flat = (i: number) =>
      Object.fromEntries(fields.flatMap((f) => Object.entries(samples[i]!.signals[f]).map(([k, v]) => [`${f}.${k}`, v])));
    const ys = samples.map((s) => fields.every((f) => s.right[f]));
    for (const l2 of [0.01, 0.03, 0.1, 0.3]) {
      const p = samples.map(() => 0);
      for (let fold = 0; fold < FOLDS; fold++) {
        const fit = fitLogistic(
          samples.map((_, i) => ({ features: flat(i), y: ys[i] ? 1 : 0 }) as Example).filter((_, i) => foldOf(samples[i]!.id) !== fold),
          l2,
        );
        samples.forEach((s, i) => {
          if (foldOf(s.id) === fold) p[i] = fit.probability(flat(i));
        });
      }
      const points = p.map((v, i) => ({ p: v, y: ys[i]! }));
      const sorted = [...points].sort((a, b) => b.p - a.p);
      const at = (n: number) => sorted.slice(0, n).filter((x) => x.y).length;
      log(`joint model l2=${l2}: AUC ${auc(points).toFixed(3)}, right in top 27/54: ${at(27)}/27 ${at(54)}/54`);
    }
  }
  // One threshold on the chance that every field is right (the product), the lowest that keeps
  // what passes at TARGET_PRECISION on out-of-fold dev.
  const joint = samples.map((s, i) => ({
    p: fields.reduce((prod, f) => prod * oof[i]![f], 1),
    right: fields.every((f) => s.right[f]),
  }));
  log(`fully right out-of-fold: ${joint.filter((j) => j.right).length} of ${joint.length}`);
  if (process.env.TRAIN_VERBOSE)
    samples.forEach((s, i) => {
      const wrong = fields.filter((f) => !s.right[f]);
      if (wrong.length) log(`  ${s.id} p=${joint[i]!.p.toFixed(3)} wrong: ${wrong.map((f) => `${f}(${oof[i]![f].toFixed(2)})`).join(' ')}`);
    });
  if (process.env.TRAIN_VERBOSE)
    for (const j of [...joint].sort((a, b) => b.p - a.p).slice(0, 40)) log(`  p=${j.p.toFixed(3)} ${j.right ? 'right' : 'WRONG'}`);
  let threshold = 0.99;
  for (const t of [...new Set(joint.map((j) => j.p))].sort((a, b) => a - b)) {
    const passed = joint.filter((j) => j.p >= t);
    if (passed.length === 0) break;
    const precision = passed.filter((j) => j.right).length / passed.length;
    if (precision >= TARGET_PRECISION && passed.length >= 5) {
      threshold = t;
      break;
    }
  }
  const passed = joint.filter((j) => j.p >= threshold);
  log(
    `route threshold ${threshold.toFixed(3)}: ${passed.length} of ${joint.length} dev emails pass, ` +
      `${passed.filter((j) => j.right).length} of them fully right (out-of-fold)`,
  );

  const intent = trainIntent(
    rows(all),
    best.setting,
    `dev split + fixtures; l2 ${best.setting.l2}, words in >= ${best.setting.minDocs} emails, by 5-fold CV on dev (accuracy ${best.accuracy.toFixed(3)})`,
  );
  intent.version = `intent@${new Date().toISOString().slice(0, 10)}`;
  const calibration: Calibration = {
    version: `calibration@${new Date().toISOString().slice(0, 10)}`,
    fields: finalFields,
    threshold,
    note: `fitted on ${samples.length} dev emails, out-of-fold; route threshold for ${TARGET_PRECISION} precision`,
  };
  writeFileSync(path.join(modelsDir, 'intent.json'), `${JSON.stringify(intent)}\n`);
  writeFileSync(path.join(modelsDir, 'calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
  log(
    `wrote ${path.join(modelsDir, 'intent.json')} (${Object.keys(intent.weights).length} features) and calibration.json`,
  );
}

await main();
