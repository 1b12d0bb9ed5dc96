// Scores extraction results against labelled emails with the conventions of the corpus README
// (tests/fixtures/corpus/README.md): dates and amounts as sets, action terms found and the
// action count within bounds, intent and client exactly, and what passed without a person.
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { canonical } from '../amounts/numbers.ts';
import { sameOrganisation } from '../client/organisations.ts';

export interface Label {
  intent: string;
  client: string | null;
  dates: string[];
  trapDates: string[];
  amounts: { value: string; currency: string }[];
  actions: { terms: string[]; min: number; max: number };
}

type Scored = Pick<ExtractionResult, 'intent' | 'client' | 'dates' | 'amounts' | 'actions'> & {
  route?: 'auto' | 'person';
};

export interface EmailScore {
  intent: boolean;
  client: boolean;
  dates: { tp: number; predicted: number; expected: number; traps: number; missed: string[]; invented: string[] };
  amounts: { tp: number; predicted: number; expected: number; missed: string[]; invented: string[] };
  actions: { termsFound: number; terms: number; count: number; inBounds: boolean; missingTerms: string[] };
  /** Every decision-critical field exactly right (what may pass without a person). */
  right: boolean;
  passed: boolean;
}

const fold = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');

export function sameClient(predicted: string | null | undefined, expected: string | null): boolean {
  if (!expected) return !predicted;
  return Boolean(predicted) && sameOrganisation(predicted!, expected);
}

export function scoreEmail(result: Scored, label: Label): EmailScore {
  const predictedDates = new Set(result.dates.map((d) => d.date));
  const expectedDates = new Set(label.dates);
  const dateTp = [...predictedDates].filter((d) => expectedDates.has(d)).length;
  const amountKey = (a: { value: string; currency: string }) => `${canonical(a.value)} ${a.currency}`;
  const predictedAmounts = new Set(result.amounts.map(amountKey));
  const expectedAmounts = new Set(label.amounts.map(amountKey));
  const amountTp = [...predictedAmounts].filter((a) => expectedAmounts.has(a)).length;
  const joined = fold(result.actions.map((a) => a.text).join(' \n '));
  const missingTerms = label.actions.terms.filter((term) => !joined.includes(fold(term)));
  const count = result.actions.length;
  const inBounds = count >= label.actions.min && count <= label.actions.max;
  const intent = result.intent.label === label.intent;
  const client = sameClient(result.client?.name, label.client);
  const dates = {
    tp: dateTp,
    predicted: predictedDates.size,
    expected: expectedDates.size,
    traps: [...predictedDates].filter((d) => label.trapDates.includes(d)).length,
    missed: [...expectedDates].filter((d) => !predictedDates.has(d)),
    invented: [...predictedDates].filter((d) => !expectedDates.has(d)),
  };
  const amounts = {
    tp: amountTp,
    predicted: predictedAmounts.size,
    expected: expectedAmounts.size,
    missed: [...expectedAmounts].filter((a) => !predictedAmounts.has(a)),
    invented: [...predictedAmounts].filter((a) => !expectedAmounts.has(a)),
  };
  const right =
    intent &&
    client &&
    dates.missed.length === 0 &&
    dates.invented.length === 0 &&
    amounts.missed.length === 0 &&
    amounts.invented.length === 0 &&
    inBounds;
  return {
    intent,
    client,
    dates,
    amounts,
    actions: {
      termsFound: label.actions.terms.length - missingTerms.length,
      terms: label.actions.terms.length,
      count,
      inBounds,
      missingTerms,
    },
    right,
    passed: result.route === 'auto',
  };
}

export interface SplitScore {
  emails: number;
  dates: { precision: number; recall: number; f1: number; traps: number };
  amounts: { precision: number; recall: number; f1: number };
  actionTermRecall: number;
  actionCountInBounds: number;
  intentAccuracy: number;
  clientAccuracy: number;
  pooled: number;
  passed: number;
  passedWrong: number;
  /** Of those that passed, the share fully right. */
  passedRight: number;
}

const prf = (tp: number, predicted: number, expected: number) => {
  const precision = predicted ? tp / predicted : 1;
  const recall = expected ? tp / expected : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
};

export function aggregate(scores: EmailScore[]): SplitScore {
  const sum = (f: (s: EmailScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const dates = prf(
    sum((s) => s.dates.tp),
    sum((s) => s.dates.predicted),
    sum((s) => s.dates.expected),
  );
  const amounts = prf(
    sum((s) => s.amounts.tp),
    sum((s) => s.amounts.predicted),
    sum((s) => s.amounts.expected),
  );
  const terms = sum((s) => s.actions.terms);
  const actionTermRecall = terms ? sum((s) => s.actions.termsFound) / terms : 1;
  const n = scores.length || 1;
  const intentAccuracy = sum((s) => Number(s.intent)) / n;
  const passed = scores.filter((s) => s.passed);
  const passedWrong = passed.filter((s) => !s.right).length;
  return {
    emails: scores.length,
    dates: { ...dates, traps: sum((s) => s.dates.traps) },
    amounts,
    actionTermRecall,
    actionCountInBounds: sum((s) => Number(s.actions.inBounds)) / n,
    intentAccuracy,
    clientAccuracy: sum((s) => Number(s.client)) / n,
    pooled: (dates.f1 + amounts.f1 + actionTermRecall + intentAccuracy) / 4,
    passed: passed.length,
    passedWrong,
    passedRight: passed.length ? (passed.length - passedWrong) / passed.length : 1,
  };
}
