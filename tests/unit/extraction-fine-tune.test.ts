import { beforeAll, describe, expect, it } from 'vitest';
import { extractFindings } from '../../extraction/extract.ts';
import { fineTune, labelOf } from '../../extraction/learn/fine-tune.ts';
import { loadCorpus } from '../../extraction/learn/corpus.ts';
import type { Features, LinearModel } from '../../extraction/learn/linear-model.ts';
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
    expect(changed.length / others.length).toBeLessThan(0.1);
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
