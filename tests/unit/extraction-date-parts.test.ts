import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  endOfMonth,
  iso,
  nextDayOfMonth,
  nextMonthDay,
  nextWeekday,
  parseIsoDay,
  previousWeekday,
  weekday,
} from '../../extraction/dates/calendar.ts';
import { collectDates } from '../../extraction/dates/collect.ts';
import { findDateMentions, type Reference } from '../../extraction/dates/find-dates.ts';
import { structureOf } from '../../extraction/message/structure.ts';
import type { Language } from '../../extraction/text/locale.ts';
import { sentencesIn } from '../../extraction/text/sentences.ts';

// The parts date extraction is built from: calendar arithmetic, mentions in text, collection.
// 2026-03-04 is a Wednesday.

describe('calendar', () => {
  const wed = { year: 2026, month: 3, day: 4 };

  it('counts working days over weekends', () => {
    expect(addWorkingDays({ year: 2026, month: 3, day: 6 }, 1)).toEqual({ year: 2026, month: 3, day: 9 });
    expect(addWorkingDays(wed, 10)).toEqual({ year: 2026, month: 3, day: 18 });
    expect(addWorkingDays(wed, 0)).toEqual(wed);
  });

  it('gives the last day of a month, ahead or behind, across years and leap years', () => {
    expect(endOfMonth({ year: 2028, month: 2, day: 10 })).toEqual({ year: 2028, month: 2, day: 29 });
    expect(endOfMonth({ year: 2026, month: 2, day: 10 })).toEqual({ year: 2026, month: 2, day: 28 });
    expect(endOfMonth({ year: 2026, month: 12, day: 9 }, 1)).toEqual({ year: 2027, month: 1, day: 31 });
    expect(endOfMonth({ year: 2026, month: 1, day: 15 }, -1)).toEqual({ year: 2025, month: 12, day: 31 });
  });

  it('finds the next and previous weekday strictly after or before a day', () => {
    expect(weekday(wed)).toBe(3);
    expect(nextWeekday(wed, 3)).toEqual({ year: 2026, month: 3, day: 11 });
    expect(nextWeekday(wed, 5)).toEqual({ year: 2026, month: 3, day: 6 });
    expect(previousWeekday(wed, 4)).toEqual({ year: 2026, month: 2, day: 26 });
  });

  it('finds the next day of a month, skipping months without it and requiring the weekday', () => {
    expect(nextDayOfMonth({ year: 2026, month: 4, day: 2 }, 31)).toEqual({ year: 2026, month: 5, day: 31 });
    expect(nextDayOfMonth(wed, 18, 5)).toEqual({ year: 2026, month: 9, day: 18 });
    expect(nextMonthDay(wed, 2, 29)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it("reads the day of an ISO timestamp in the sender's own offset", () => {
    expect(parseIsoDay('2026-03-04T09:30:00+13:00')).toEqual(wed);
    expect(iso({ year: 2026, month: 3, day: 4 })).toBe('2026-03-04');
  });
});

describe('findDateMentions', () => {
  const ref: Reference = {
    day: { year: 2026, month: 3, day: 4 },
    instant: new Date('2026-03-04T10:00:00+01:00'),
    offsetMinutes: 60,
  };
  const days = (text: string, language: Language) =>
    findDateMentions(text, language, ref, false).map((m) => [iso(m.day), m.text]);

  it('reads "in two weeks" as 14 days after the message day in five languages', () => {
    expect(days('We need the files in two weeks.', 'en')).toEqual([['2026-03-18', 'in two weeks']]);
    expect(days('Wir brauchen die Dateien in zwei Wochen.', 'de')).toEqual([['2026-03-18', 'in zwei Wochen']]);
    expect(days('Nous aurions besoin des fichiers dans deux semaines.', 'fr')).toEqual([
      ['2026-03-18', 'dans deux semaines'],
    ]);
    expect(days('Necesitamos los archivos dentro de dos semanas.', 'es')).toEqual([
      ['2026-03-18', 'dentro de dos semanas'],
    ]);
    expect(days('We hebben de bestanden binnen twee weken nodig.', 'nl')).toEqual([
      ['2026-03-18', 'binnen twee weken'],
    ]);
  });

  it('reads working days as weekdays after the message day in five languages', () => {
    expect(days('Please deliver within 10 working days.', 'en')).toEqual([['2026-03-18', 'within 10 working days']]);
    expect(days('Bitte liefern Sie innerhalb von 10 Werktagen.', 'de')).toEqual([
      ['2026-03-18', 'innerhalb von 10 Werktagen'],
    ]);
    expect(days('Merci de livrer sous 10 jours ouvrés.', 'fr')).toEqual([['2026-03-18', 'sous 10 jours ouvrés']]);
    expect(days('Por favor entregue en 10 días hábiles.', 'es')).toEqual([['2026-03-18', 'en 10 días hábiles']]);
    expect(days('Graag levering binnen 10 werkdagen.', 'nl')).toEqual([['2026-03-18', 'binnen 10 werkdagen']]);
  });

  it('reads the end of next month as its last day in five languages', () => {
    expect(days('Payment is due by the end of next month.', 'en')).toEqual([['2026-04-30', 'the end of next month']]);
    expect(days('Die Rechnung ist bis Ende nächsten Monats fällig.', 'de')).toEqual([
      ['2026-04-30', 'Ende nächsten Monats'],
    ]);
    expect(days('Le paiement est dû à la fin du mois prochain.', 'fr')).toEqual([
      ['2026-04-30', 'à la fin du mois prochain'],
    ]);
    expect(days('El pago vence a finales del próximo mes.', 'es')).toEqual([
      ['2026-04-30', 'a finales del próximo mes'],
    ]);
    expect(days('De betaling moet eind volgende maand binnen zijn.', 'nl')).toEqual([
      ['2026-04-30', 'eind volgende maand'],
    ]);
  });

  it('reads day-first numeric dates with a closing dot or a year, and ISO dates', () => {
    expect(days('Bitte bis 18.12. schicken.', 'de')).toEqual([['2026-12-18', '18.12.']]);
    expect(days('Bitte bis 18.12.2026 schicken.', 'de')).toEqual([['2026-12-18', '18.12.2026']]);
    expect(days('Please send it by 2026-03-20.', 'en')).toEqual([['2026-03-20', '2026-03-20']]);
  });
});

describe('collectDates', () => {
  it('takes the new day of a sentence and gives the reason it leaves the old one out', () => {
    const text = 'Hi Sam,\n\nCould we do the workshop on the 18th rather than 11 December?\n\nThanks,\nJane';
    const structure = structureOf(text, 'Workshop');
    const sentences = sentencesIn(text, 0, text.length);
    const ref: Reference = {
      day: { year: 2026, month: 12, day: 1 },
      instant: new Date('2026-12-01T10:00:00Z'),
      offsetMinutes: 0,
    };
    const found = collectDates({ structure, sentences, language: 'en', ref, monthFirst: false });
    expect(found.taken.map((d) => [d.date, d.role, text.slice(d.start, d.end)])).toEqual([
      ['2026-12-18', 'meeting', '18th'],
    ]);
    expect(found.ignored.map((d) => [d.date, d.reason, text.slice(d.start, d.end)])).toEqual([
      ['2026-12-11', 'superseded', '11 December'],
    ]);
  });
});
