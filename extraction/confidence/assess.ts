// How sure the extractor is of each decision-critical field, and whether the result may go on
// without a person. Each field's confidence is a logistic model over signals of that field,
// fitted on the labelled dev split (extraction/learn/train.ts): the probability, measured on
// labelled mail, that the field is exactly right. A result goes on alone only when every field
// clears the threshold chosen so that what passes unreviewed is right at least 95 % of the time.
import type { ActionCandidate } from '../actions/find-actions.ts';
import type { FoundAmount } from '../amounts/find-amounts.ts';
import type { ClientFinding } from '../client/find-client.ts';
import { hasLegalSuffix } from '../client/organisations.ts';
import type { DateFindings } from '../dates/collect.ts';
import type { IntentDecision } from '../intent/classify.ts';
import type { MachineKind } from '../intent/machine-mail.ts';
import type { PhishingSignals } from '../intent/phishing.ts';
import type { Features } from '../learn/linear-model.ts';
import type { MessageStructure } from '../message/structure.ts';
import { unexplainedDateMentions, unexplainedMoneyMentions } from './unexplained.ts';

export const fields = ['intent', 'client', 'dates', 'amounts', 'actions'] as const;
export type Field = (typeof fields)[number];

export interface FieldCalibration {
  bias: number;
  weights: Record<string, number>;
  /** Below this chance of being right, a person checks the field. */
  threshold: number;
}

export interface Calibration {
  version: string;
  fields: Record<Field, FieldCalibration>;
  note: string;
}

export interface Assessment {
  fields: Record<Field, number>;
  signals: Record<Field, Features>;
  confidence: number;
  route: 'auto' | 'person';
  reasons: string[];
}

export interface AssessInput {
  intent: IntentDecision;
  client: ClientFinding | undefined;
  dates: DateFindings;
  amounts: FoundAmount[];
  candidates: ActionCandidate[];
  structure: MessageStructure;
  machine: MachineKind | undefined;
  phishing: PhishingSignals;
  language: string;
  silent: boolean;
  result: { client: unknown };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** "0.71 < 0.88", with a third decimal where two would print the same number on both sides. */
function belowThreshold(probability: number, threshold: number): string {
  const digits = probability.toFixed(2) === threshold.toFixed(2) ? 3 : 2;
  return `${probability.toFixed(digits)} < ${threshold.toFixed(digits)}`;
}

export function fieldSignals(a: AssessInput): Record<Field, Features> {
  const sources = new Set(a.client?.evidence.map((e) => e.source) ?? []);
  const forms = (form: string) => a.dates.taken.filter((d) => d.form === form).length;
  const setAside = (reason: string) => a.dates.ignored.filter((d) => d.reason === reason).length;
  const requests = a.candidates.filter((c) => c.owner === 'me');
  const flag = (value: boolean) => (value ? 1 : 0);
  // Few signals per field: dev has some forty errors per field, and every extra signal fitted them
  // rather than ranked unseen ones (out-of-fold AUC rose for every field when the rest went).
  return {
    intent: {
      p: a.intent.probability,
      margin: a.intent.margin,
      phish: Math.min(a.phishing.score, 8) / 8,
      machine: flag(Boolean(a.machine)),
    },
    client: {
      silent: flag(a.silent),
      autoReply: flag(a.intent.kind === 'auto-reply'),
      known: flag(sources.has('known-client')),
      signature: flag(sources.has('signature')),
      domain: flag(sources.has('domain')),
      domainOnly: flag(sources.has('domain-only')),
      legalForm: flag(Boolean(a.client && hasLegalSuffix(a.client.name))),
    },
    dates: {
      silent: flag(a.silent),
      taken: Math.log1p(a.dates.taken.length),
      // Dates the reader had to judge and set aside are where it errs most: a vague mention it may
      // have read too narrowly, a change of plan it may have followed wrongly.
      vague: flag(setAside('vague') > 0),
      superseded: flag(setAside('superseded') + setAside('cancelled') > 0),
      weekday: flag(forms('weekday') > 0),
      unexplained: Math.log1p(unexplainedDateMentions(a.structure, [...a.dates.taken, ...a.dates.ignored])),
    },
    amounts: {
      silent: flag(a.silent),
      count: Math.log1p(a.amounts.length),
      unexplained: Math.log1p(unexplainedMoneyMentions(a.structure, a.amounts)),
    },
    actions: {
      silent: flag(a.silent),
      count: Math.log1p(requests.length),
      questionsOnly: flag(requests.some((c) => c.signals.length === 1 && c.signals[0]!.startsWith('question'))),
    },
  };
}

/** Before calibration is fitted: cautious guesses, so that an uncalibrated extractor asks a person. */
const uncalibrated: Calibration = {
  version: 'uncalibrated',
  fields: {
    intent: { bias: -3, weights: { p: 4, margin: 2, machine: 2 }, threshold: 0.99 },
    client: { bias: 0, weights: { silent: 3, known: 3, signature: 1, domain: 1 }, threshold: 0.99 },
    dates: { bias: 1, weights: { taken: -0.5, unexplained: -0.5, silent: 2 }, threshold: 0.99 },
    amounts: { bias: 1.5, weights: { count: -0.3, silent: 1 }, threshold: 0.99 },
    actions: { bias: 0.5, weights: { count: -0.3, silent: 2 }, threshold: 0.99 },
  },
  note: 'hand-set until extraction/learn/train.ts has fitted one',
};

const explain: Record<Field, string> = {
  intent: 'the intent',
  client: 'the client',
  dates: 'the dates',
  amounts: 'the amounts',
  actions: 'the action items',
};

export function assess(input: AssessInput, calibration: Calibration = uncalibrated): Assessment {
  const signals = fieldSignals(input);
  const probabilities = {} as Record<Field, number>;
  for (const field of fields) {
    const model = calibration.fields[field];
    let z = model.bias;
    for (const [name, value] of Object.entries(signals[field])) z += (model.weights[name] ?? 0) * value;
    probabilities[field] = Math.round(sigmoid(z) * 1000) / 1000;
  }
  // A sender the source of truth already knows by address or domain is that client, whatever the
  // model (the corpus it was fitted on has no known clients, so it cannot weigh them): above any
  // threshold training can set (chances are kept to three decimals).
  if (input.client?.knownBy === 'address' || input.client?.knownBy === 'domain')
    probabilities.client = Math.max(probabilities.client, 0.999);
  // The overall confidence: the chance that every field is right (fields taken as independent).
  const confidence = Math.round(fields.reduce((p, field) => p * probabilities[field], 1) * 1000) / 1000;
  const unsure = fields
    .filter((field) => probabilities[field] < calibration.fields[field].threshold)
    .sort((a, b) => probabilities[a] - probabilities[b]);
  const route = unsure.length === 0 ? 'auto' : 'person';
  // Training found no threshold that keeps 95 % of what passes right: a person checks every email.
  const closed = fields.every((field) => calibration.fields[field].threshold >= 1);
  const reasons =
    route === 'auto'
      ? ['every decision-critical field is above its threshold']
      : closed
        ? [
            'a person checks every email until the calibration finds a threshold that keeps 95 % of what passes right',
            ...unsure
              .slice(0, 1)
              .map((field) => `least sure of ${explain[field]} (${probabilities[field].toFixed(2)})`),
          ]
        : unsure.map(
            (field) =>
              `unsure of ${explain[field]} (${belowThreshold(probabilities[field], calibration.fields[field].threshold)})`,
          );
  return { fields: probabilities, signals, confidence, route, reasons };
}
