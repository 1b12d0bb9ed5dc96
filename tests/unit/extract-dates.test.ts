import { describe, expect, it } from 'vitest';
import { findDates, looksGerman, type Reference } from '../../nodes/extract/local/dates.ts';
import { referenceOf } from '../../nodes/extract/local/extract-local.ts';
import { guessDateOrder } from '../../nodes/extract/local/locale.ts';

const days = (text: string, reference: Reference, order: 'month-first' | 'day-first' = 'month-first', german = false) =>
  findDates(text, reference, order, german).map((date) => date.day);

// Tue 4 Mar 2025, 14:22 in New York (19:22 UTC).
const newYork = referenceOf('2025-03-04T14:22:10-05:00');
// Mon 31 Mar 2025, 07:58 in Berlin.
const berlin = referenceOf('2025-03-31T07:58:00+02:00');

describe('referenceOf', () => {
  it('keeps the writer’s UTC offset', () => {
    expect(newYork.offsetMinutes).toBe(-300);
    expect(newYork.instant.toISOString()).toBe('2025-03-04T19:22:10.000Z');
    expect(referenceOf('2025-03-04T19:22:10Z').offsetMinutes).toBe(0);
  });
});

describe('findDates', () => {
  it('resolves relative days in the sender’s time zone, not UTC', () => {
    // 23:30 in California is already the next day in UTC; "today" is still the 14th there.
    const lateEvening = referenceOf('2025-03-14T23:30:00-07:00');
    expect(days('I sent it this morning and will call you tomorrow', lateEvening)).toEqual([
      '2025-03-14',
      '2025-03-15',
    ]);
  });

  it('takes a bare weekday as the next one ahead, and the same weekday as next week’s', () => {
    expect(days('Thursday afternoon or Friday morning', newYork)).toEqual(['2025-03-06', '2025-03-07']);
    expect(days("Tuesday won't work", newYork)).toEqual(['2025-03-11']);
  });

  it('reads 05/06/2025 by the date order', () => {
    expect(days('either 05/06/2025', newYork, 'month-first')).toEqual(['2025-05-06']);
    expect(days('either 05/06/2025', newYork, 'day-first')).toEqual(['2025-06-05']);
  });

  it('reads dotted European dates day first, in the nearest year', () => {
    expect(days('Opening ist jetzt am 12.04., nicht am 5.4.', berlin, 'day-first', true)).toEqual([
      '2025-04-12',
      '2025-04-05',
    ]);
    expect(days('Thursday 13.03. at 14:00', referenceOf('2025-03-10T08:15:02+01:00'), 'day-first')).toEqual([
      '2025-03-13',
    ]);
    expect(days('closes on 31.12.', referenceOf('2026-01-03T10:00:00+01:00'), 'day-first')).toEqual(['2025-12-31']);
  });

  it('makes end of week a Friday and end of month its last day', () => {
    const thursday = referenceOf('2025-04-10T11:05:00-04:00');
    expect(days('by end of next week', thursday)).toEqual(['2025-04-18']);
    expect(days('before the end of the month', thursday)).toEqual(['2025-04-30']);
    expect(days('by EOD', thursday)).toEqual(['2025-04-10']);
  });

  it('keeps a time of day with the sender’s offset', () => {
    const [date] = findDates(
      'How about Monday 14th April at 11:00 BST instead?',
      referenceOf('2025-04-01T16:20:00+01:00'),
      'day-first',
    );
    expect(date?.date).toBe('2025-04-14T11:00:00+01:00');
  });

  it('gives both ends of a range', () => {
    expect(days('out of the office from April 17 through April 25', referenceOf('2025-04-17T08:00:02-04:00'))).toEqual([
      '2025-04-17',
      '2025-04-25',
    ]);
  });

  it('skips periods, durations, page ranges and times without a day', () => {
    expect(
      days('next week, within 48 hours, in 3 days, pages 8-11, 24/7 support, at 2pm, in June, this weekend', newYork),
    ).toEqual([]);
  });

  it('reads German day names only in German text', () => {
    const text = 'leider muss ich unseren Termin am Mittwoch absagen';
    expect(looksGerman(text)).toBe(true);
    expect(days(text, referenceOf('2025-03-10T08:15:02+01:00'), 'day-first', true)).toEqual(['2025-03-12']);
    expect(looksGerman('I am free on Friday and the team is in the office')).toBe(false);
  });
});

describe('guessDateOrder', () => {
  it('lets an unambiguous date in the text decide', () => {
    expect(guessDateOrder('dated 28/02/2025', 'ap@example.com')).toBe('day-first');
    expect(guessDateOrder('on 3/25 and 05/06', 'x@example.co.uk')).toBe('month-first');
  });

  it('falls back to the sender’s country, then the currency', () => {
    expect(guessDateOrder('on 05/06', 'x@firma.de')).toBe('day-first');
    expect(guessDateOrder('on 05/06', 'x@startup.io')).toBe('month-first');
    expect(guessDateOrder('on 05/06 for €500', 'x@startup.io')).toBe('day-first');
  });
});
