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
const TARGET_PRECISION = 0.95;
/** A threshold must let at least this many dev emails through to mean anything. */
const MIN_PASS = 10;

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
  const findings = new Map(all.map((email) => [email.id, extractFindings(email.input)]));
  const featuresOf = new Map(all.map((email) => [email.id, findings.get(email.id)!.intentFeatures]));
  // Mail its headers decide never reaches the model: it is no example for it either.
  const rows = (emails: LabelledEmail[]) =>
    emails
      .filter((e) => !findings.get(e.id)!.intentByHeaders)
      .map((e) => ({ features: featuresOf.get(e.id)!, label: e.label.intent }));

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
  // thresholds are the ones that let the most dev emails through while keeping what passes at
  // TARGET_PRECISION on out-of-fold dev (at least MIN_PASS through), searched over a grid.
  const ys = samples.map((s) => fields.every((f) => s.right[f]));
  log(`fully right out-of-fold: ${ys.filter(Boolean).length} of ${ys.length}`);
  const grid = [0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99];
  let bestCut = {
    thresholds: Object.fromEntries(fields.map((f) => [f, 0.99])) as Record<Field, number>,
    passed: 0,
    right: 0,
  };
  const search = (index: number, chosen: Record<Field, number>) => {
    if (index === fields.length) {
      const through = samples.map((_, i) => fields.every((f) => oof[i]![f] >= chosen[f]));
      const passed = through.filter(Boolean).length;
      const right = through.filter((t, i) => t && ys[i]).length;
      if (
        passed >= MIN_PASS &&
        right / passed >= TARGET_PRECISION &&
        (passed > bestCut.passed || (passed === bestCut.passed && right > bestCut.right))
      )
        bestCut = { thresholds: { ...chosen }, passed, right };
      return;
    }
    for (const t of grid) search(index + 1, { ...chosen, [fields[index]!]: t });
  };
  search(0, {} as Record<Field, number>);
  for (const field of fields) finalFields[field].threshold = bestCut.thresholds[field];
  log(
    `route thresholds ${fields.map((f) => `${f} ${bestCut.thresholds[f]}`).join(', ')}: ${bestCut.passed} of ${samples.length} dev emails pass, ` +
      `${bestCut.right} of them fully right (out-of-fold)`,
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
    note: `fitted on ${samples.length} dev emails; thresholds keep ${TARGET_PRECISION} of what passes right, out-of-fold`,
  };
  writeFileSync(path.join(modelsDir, 'intent.json'), `${JSON.stringify(intent)}\n`);
  writeFileSync(path.join(modelsDir, 'calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
  log(
    `wrote ${path.join(modelsDir, 'intent.json')} (${Object.keys(intent.weights).length} features) and calibration.json`,
  );
}

await main();
