// Extraction quality and speed on the labelled corpus, side by side for the dev split (tuned on),
// the frozen test split (never tuned on) and the 36 older fixtures, with the shipped models:
// per-field precision/recall/F1, trap dates taken, action terms and counts, intent and client
// accuracy, pooled score, how many passed without a person and how many of those were wrong, a
// calibration table, and emails per second with p50/p95 latency on the local tier.
//   node bench/extract-quality.ts [--json] [--wrong] [--save]
// --save records the figures under "extractQuality" in bench/results.json (the committed record).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { extractEmail } from '../extraction/extract.ts';
import { loadCorpus, type Split } from '../extraction/learn/corpus.ts';
import { aggregate, scoreEmail, type EmailScore, type SplitScore } from '../extraction/learn/score.ts';
import { loadModels } from '../extraction/models/load.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    wrong: { type: 'boolean', default: false },
    save: { type: 'boolean', default: false },
  },
});
const splits: Split[] = ['dev', 'test', 'fixtures'];
const models = loadModels();
const corpus = await loadCorpus(splits);

interface Row {
  split: Split;
  id: string;
  score: EmailScore;
  confidence: number;
  ms: number;
}

// One pass to warm up the parsers and regular expressions, then the measured pass.
for (const email of corpus.slice(0, 10)) extractEmail(email.input, { models });
const rows: Row[] = [];
const started = performance.now();
for (const email of corpus) {
  const t0 = performance.now();
  const result = extractEmail(email.input, { models });
  const ms = performance.now() - t0;
  rows.push({
    split: email.split,
    id: email.id,
    score: scoreEmail(result, email.label),
    confidence: result.confidence,
    ms,
  });
}
const elapsed = (performance.now() - started) / 1000;

const bySplit = Object.fromEntries(
  splits.map((split) => [split, aggregate(rows.filter((r) => r.split === split).map((r) => r.score))]),
) as Record<Split, SplitScore>;
const latencies = rows.map((r) => r.ms).sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
const speed = {
  emails: rows.length,
  emailsPerSecond: rows.length / elapsed,
  p50Ms: percentile(50),
  p95Ms: percentile(95),
  maxMs: latencies.at(-1)!,
};

// Calibration: the confidence (chance that every field is right) in bins vs how often it was.
const bins = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];
const calibration = bins.slice(0, -1).map((low, i) => {
  const high = bins[i + 1]!;
  const inBin = rows.filter((r) => r.split !== 'fixtures' && r.confidence >= low && r.confidence < high);
  return {
    bin: `${low.toFixed(1)}–${Math.min(high, 1).toFixed(1)}`,
    emails: inBin.length,
    meanConfidence: inBin.length ? inBin.reduce((s, r) => s + r.confidence, 0) / inBin.length : 0,
    fullyRight: inBin.length ? inBin.filter((r) => r.score.right).length / inBin.length : 0,
  };
});

const figures = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.versions.node },
  models: { intent: models.intent?.version, calibration: models.calibration?.version },
  bySplit,
  speed,
  calibration,
};
if (values.save) {
  const file = path.join(import.meta.dirname, 'results.json');
  const recorded = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...recorded, extractQuality: figures }, null, 2)}\n`);
}

if (values.json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const f = (x: number) => x.toFixed(3);
  const line = (label: string, get: (s: SplitScore) => string) =>
    console.log(`| ${label.padEnd(38)} | ${splits.map((s) => get(bySplit[s]).padStart(9)).join(' | ')} |`);
  console.log(
    `Extraction quality, local tier (models: ${models.intent?.version ?? 'prior'}, ${models.calibration?.version ?? 'uncalibrated'})\n`,
  );
  console.log(`| ${'measure'.padEnd(38)} | ${splits.map((s) => s.padStart(9)).join(' | ')} |`);
  console.log(`|${'-'.repeat(40)}|${splits.map(() => '-'.repeat(11)).join('|')}|`);
  line('emails', (s) => String(s.emails));
  line('dates P / R', (s) => `${f(s.dates.precision)}/${f(s.dates.recall)}`);
  line('dates F1', (s) => f(s.dates.f1));
  line('trap dates taken', (s) => String(s.dates.traps));
  line('amounts P / R', (s) => `${f(s.amounts.precision)}/${f(s.amounts.recall)}`);
  line('amounts F1', (s) => f(s.amounts.f1));
  line('action terms found', (s) => f(s.actionTermRecall));
  line('action count in bounds', (s) => pct(s.actionCountInBounds));
  line('intent accuracy', (s) => pct(s.intentAccuracy));
  line('client accuracy', (s) => pct(s.clientAccuracy));
  line('pooled', (s) => f(s.pooled));
  line('passed without a person', (s) => `${s.passed} (${pct(s.passed / Math.max(1, s.emails))})`);
  line('  of those, wrong (confidently wrong)', (s) => String(s.passedWrong));
  line('  of those, fully right', (s) => pct(s.passedRight));
  console.log(
    '\n(fixtures: older labels, no client labels and past days counted as dates; read their client and dates rows with that in mind)\n',
  );
  console.log('Calibration (dev + test): confidence that every field is right vs how often it was\n');
  console.log('| confidence | emails | mean confidence | fully right |');
  console.log('|---|---|---|---|');
  for (const bin of calibration)
    console.log(
      `| ${bin.bin} | ${bin.emails} | ${bin.emails ? f(bin.meanConfidence) : '–'} | ${bin.emails ? pct(bin.fullyRight) : '–'} |`,
    );
  console.log(
    `\nSpeed (one process, ${speed.emails} emails, sequential): ${speed.emailsPerSecond.toFixed(1)} emails/s, ` +
      `p50 ${speed.p50Ms.toFixed(1)} ms, p95 ${speed.p95Ms.toFixed(1)} ms, max ${speed.maxMs.toFixed(1)} ms per email`,
  );
  if (values.wrong) {
    console.log('\nDev emails not fully right:');
    for (const row of rows.filter((r) => r.split === 'dev' && !r.score.right)) console.log(`- ${row.id}`);
  }
}
