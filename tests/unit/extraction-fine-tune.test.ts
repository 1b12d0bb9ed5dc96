import { beforeAll, describe, expect, it } from 'vitest';
import { extractFindings } from '../../extraction/extract.ts';
import { fineTune, labelOf } from '../../extraction/learn/fine-tune.ts';
import { loadCorpus } from '../../extraction/learn/corpus.ts';
import type { Features, LinearModel } from '../../extraction/learn/linear-model.ts';
import type { EmailInput } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';

const shipped = (): LinearModel => loadModels().intent!;

interface Row {
  id: string;
  features: Features;
  gold: string;
}

// The shipped intent model fine-tuned with a person's corrections: the corrected emails move to
// the corrected label, the rest of the dev split (which the model was trained on) mostly stays.
describe('fineTune', () => {
  let rows: Row[] = [];
  beforeAll(async () => {
    const dev = await loadCorpus(['dev']);
    rows = dev.flatMap((email) => {
      const findings = extractFindings(email.input, { models: { intent: shipped() } });
      return findings.intentByHeaders
        ? []
        : [{ id: email.id, features: findings.intentFeatures, gold: email.label.intent }];
    });
  }, 60_000);

  it('moves a corrected email to the label the person gave it', () => {
    const prior = shipped();
    const email = rows.find((row) => labelOf(prior, row.features) === 'lead')!;
    const before = structuredClone(prior);
    const tuned = fineTune(prior, [{ features: email.features, label: 'scheduling' }], {
      version: 'intent@test+1',
      note: 'one correction',
    });
    expect(labelOf(prior, email.features)).toBe('lead');
    expect(labelOf(tuned, email.features)).toBe('scheduling');
    expect(prior).toEqual(before);
    expect(tuned).toMatchObject({
      version: 'intent@test+1',
      classes: prior.classes,
      trainedOn: { examples: 1, base: prior.version, note: 'one correction' },
    });
    // Deterministic: the same corrections give the same weights.
    expect(
      fineTune(prior, [{ features: email.features, label: 'scheduling' }], {
        version: 'intent@test+1',
        note: 'one correction',
      }),
    ).toEqual(tuned);
  });

  it('leaves most unrelated predictions unchanged', () => {
    const prior = shipped();
    const before = new Map(rows.map((row) => [row.id, labelOf(prior, row.features)]));
    const corrected = rows.filter((row) => before.get(row.id) !== row.gold).slice(0, 3);
    expect(corrected).toHaveLength(3);
    const tuned = fineTune(
      prior,
      corrected.map((row) => ({ features: row.features, label: row.gold })),
      { version: 'intent@test+3', note: 'three corrections' },
    );
    for (const row of corrected) expect(labelOf(tuned, row.features), row.id).toBe(row.gold);
    const others = rows.filter((row) => !corrected.includes(row));
    const changed = others.filter((row) => labelOf(tuned, row.features) !== before.get(row.id));
    expect(changed.length / others.length).toBeLessThan(0.03);
  });

  it('learns what the corrected mail is without taking the same sender’s other mail along', () => {
    const prior = shipped();
    const from = { name: 'Greta Olsen', address: 'greta@northwind.example' };
    const mail = (subject: string, text: string): EmailInput => ({
      subject,
      text,
      from,
      replyTo: [],
      to: [{ name: 'Lena', address: 'lena@studio.example' }],
      cc: [],
      sentAt: '2025-06-02T09:00:00+02:00',
      headers: {},
      attachments: [],
    });
    const sheet = (week: number) =>
      extractFindings(
        mail(
          `Order sheet week ${week}`,
          `Hi Lena,\n\nAttached is our order sheet for week ${week}. Store 12 reports stock value of ${week * 100} EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders`,
        ),
      ).intentFeatures;
    const payment = extractFindings(
      mail(
        'Payment for order 77',
        'Hi Lena,\n\nWe paid the invoice for order 77 by wire transfer today, 1,200 EUR.\n\nRegards,\nGreta',
      ),
    ).intentFeatures;
    expect(labelOf(prior, sheet(23))).toBe('change');
    expect(labelOf(prior, payment)).toBe('billing');
    const tuned = fineTune(
      prior,
      [23, 24, 25].map((week) => ({ features: sheet(week), label: 'other' })),
      { version: 'intent@test+sheets', note: 'order sheets are routine' },
    );
    expect(labelOf(tuned, sheet(27))).toBe('other');
    expect(labelOf(tuned, payment)).toBe('billing');
    // It stops once the corrections are learned well enough, far short of the most it may run.
    expect(tuned.trainedOn.epochs).toBeLessThan(50);
  });

  it('keeps the prior as it is without examples, and refuses a label the model does not know', () => {
    const prior = shipped();
    const same = fineTune(prior, [], { version: 'intent@test+0', note: 'nothing' });
    expect(same.bias).toEqual(prior.bias);
    expect(same.weights).toEqual(prior.weights);
    expect(() =>
      fineTune(prior, [{ features: { 'lang:en': 1 }, label: 'urgent' }], { version: 'x', note: '' }),
    ).toThrow(/label "urgent" is not one of the model's classes/);
  });
});
