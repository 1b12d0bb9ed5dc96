import { describe, expect, it } from 'vitest';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { read } from '../support/extraction-email.ts';

// What the words around a day do to it: a period counted from another event, a weekday joined to a
// day just named, a part of a month, a negation, a day ruled out or named twice.
// 2026-03-04 is a Wednesday.
const taken = (result: ExtractionResult) => result.dates.map((d) => d.date);

const german = { from: { name: 'Jana Albrecht', address: 'jana@albrecht-kaffee.de' } };
const dutch = { from: { name: 'Eva de Vos', address: 'eva@bakkerij-vos.nl' } };

describe('days read in their context', () => {
  it('takes no day from a period counted from another event (of receipt, after that, na ontvangst)', () => {
    const texts = [
      'Hi Sam,\n\nWe pay within 30 days of receipt of a correct invoice. Could you resend it?\n\nJane',
      'Hi Sam,\n\nFirst drafts in two weeks, please, and the final files within 10 working days after that.\n\nJane',
      'Hallo Sam,\n\nNach Erhalt der korrigierten Rechnung zahlen wir innerhalb von 14 Tagen.\n\nJana',
      'Dag Sam,\n\nNa ontvangst van de juiste factuur betalen wij binnen 30 dagen.\n\nJan',
    ];
    const [english, afterThat, german, dutch] = texts.map((text) => read({ text }).dates.map((d) => d.text));
    expect(english).toEqual([]);
    expect(afterThat).toEqual(['in two weeks']);
    expect(german).toEqual([]);
    expect(dutch).toEqual([]);
    // Counted from today or from this message, the day follows.
    expect(read({ text: 'Hi Sam,\n\nPlease reply within 10 days of this notice.\n\nJane' }).dates).toHaveLength(1);
  });

  it('reads a bare weekday joined by "or" to a day just named as that day\'s week, not the coming one', () => {
    // Written on Wednesday 4 March: "next week Tuesday or Thursday" is 10 and 12 March, not 10 and 5.
    expect(taken(read({ text: 'Hi Sam,\n\nCould we meet next week Tuesday or Thursday?' }))).toEqual([
      '2026-03-10',
      '2026-03-12',
    ]);
    expect(taken(read({ ...german, text: 'Hallo Sam,\n\nPasst dir nächste Woche Dienstag oder Donnerstag?' }))).toEqual(
      ['2026-03-10', '2026-03-12'],
    );
    // After an explicit day: "Monday 16 March or Wednesday" is the Wednesday after it.
    expect(taken(read({ text: 'Hi Sam,\n\nWould Monday 16 March or Wednesday suit you for the call?' }))).toEqual([
      '2026-03-16',
      '2026-03-18',
    ]);
  });

  it('reads "the end of May" as a part of a month unless it is a deadline', () => {
    expect(taken(read({ ...german, text: 'Hallo Sam,\n\nGedreht wird idealerweise Ende Mai.\n\nJana' }))).toEqual([]);
    expect(taken(read({ ...german, text: 'Hallo Sam,\n\nWir brauchen die Dateien bis Ende Mai.\n\nJana' }))).toEqual([
      '2026-05-31',
    ]);
    expect(taken(read({ text: 'Hi Sam,\n\nWe need the site live by the end of May.\n\nJane' }))).toEqual([
      '2026-05-31',
    ]);
  });

  it('takes a day offered after "if that does not work", and leaves one negated right before it', () => {
    const fallback = read({
      ...dutch,
      text: 'Hoi Sam,\n\nKan het donderdag 12 maart? En als dat niet lukt: maandag 16 maart kan ook.\n\nEva',
    });
    expect(taken(fallback)).toEqual(['2026-03-12', '2026-03-16']);
    expect(taken(read({ text: 'Hi Sam,\n\nThe shoot is on the 18th, not the 11th.\n\nJane' }))).toEqual(['2026-03-18']);
  });
});

describe('days a sender rules out or names twice', () => {
  it('reads a weekday written beside a date of that weekday as the same day', () => {
    // 2026-03-07 is a Saturday; the bare "Saturday" must not become another day.
    const result = read({ text: "Hi Sam,\n\nIt's not the 5th but the 7th, the Saturday. Can you confirm?\n\nJane" });
    expect(taken(result)).toEqual(['2026-03-07']);
  });

  it('leaves out a day the sender says does not work, in several languages', () => {
    expect(taken(read({ text: "Hi Sam,\n\nTuesday's gone now, sorry. Could we do Thursday at 2?\n\nJane" }))).toEqual([
      '2026-03-05',
    ]);
    expect(taken(read({ text: "Hi Sam,\n\nWe can't do the 10th. Would the 12th suit you?\n\nJane" }))).toEqual([
      '2026-03-12',
    ]);
    expect(
      taken(read({ ...german, text: 'Hallo Sam,\n\nDienstag geht leider nicht. Passt Ihnen Donnerstag?\n\nJana' })),
    ).toEqual(['2026-03-05']);
  });
});
