// The labelled emails (tests/fixtures/corpus and the older tests/fixtures/emails), read through
// the production ingest parser, for training, calibration and the quality bench.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { minorToDecimalString } from '../../lib/money/money.ts';
import { emailInputFromRaw } from '../../nodes/extract/eml.ts';
import type { EmailInput } from '../message/email-input.ts';
import type { Label } from './score.ts';
import { corpusFile, readLabels } from '../../tests/fixtures/corpus/labels.ts';

export type Split = 'test' | 'dev' | 'fixtures';

export interface LabelledEmail {
  id: string;
  split: Split;
  input: EmailInput;
  label: Label;
  kind: string;
}

const fixturesDir = path.resolve(import.meta.dirname, '../../tests/fixtures/emails');

interface OldLabel {
  split: string;
  intent: string;
  actionItems: { text: string; owner?: string }[];
  dates: string[];
  amounts: { amountMinor: number; currency: string }[];
  organizations: string[];
}

/** The 36 older fixtures, mapped onto the corpus's label shape (their client is not labelled: skipped). */
async function oldFixtures(): Promise<LabelledEmail[]> {
  const labels = JSON.parse(readFileSync(path.join(fixturesDir, 'labels.json'), 'utf8')) as Record<string, OldLabel>;
  return Promise.all(
    Object.entries(labels).map(async ([id, old]) => {
      const words = old.actionItems.flatMap((a) =>
        a.text
          .toLowerCase()
          .split(/\W+/)
          .filter((w) => w.length > 5)
          .slice(0, 1),
      );
      return {
        id,
        split: 'fixtures' as const,
        kind: 'fixture',
        input: await emailInputFromRaw(readFileSync(path.join(fixturesDir, `${id}.eml`)), '2030-01-01T00:00:00Z'),
        label: {
          intent: old.intent === 'change-request' ? 'change' : old.intent,
          client: null,
          dates: old.dates,
          trapDates: [],
          amounts: old.amounts.map((a) => ({
            value: minorToDecimalString(a.amountMinor, a.currency),
            currency: a.currency,
          })),
          actions: {
            terms: words,
            min: Math.max(0, old.actionItems.length - 1),
            max: old.actionItems.length + 1,
          },
        },
      };
    }),
  );
}

export async function loadCorpus(splits: Split[]): Promise<LabelledEmail[]> {
  const out: LabelledEmail[] = [];
  const labels = readLabels();
  for (const [id, label] of Object.entries(labels)) {
    if (!splits.includes(label.split)) continue;
    // Received long after it was written: ingest never overrides a Date header for being in the past.
    const input = await emailInputFromRaw(readFileSync(corpusFile(label)), '2030-01-01T00:00:00Z');
    out.push({ id, split: label.split, kind: label.kind, input, label });
  }
  if (splits.includes('fixtures')) out.push(...(await oldFixtures()));
  return out;
}
