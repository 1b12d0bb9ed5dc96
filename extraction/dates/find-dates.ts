// Dates in a message's content with the role each plays. chrono-node (in the message's
// language) and the custom parsers find the mentions; roles.ts decides which are commitments.
import * as chrono from 'chrono-node';
import type { Language } from '../text/locale.ts';
import { addDays, compare, iso, nextWeekday, previousWeekday, weekday, type Day } from './calendar.ts';
import { customMentions, type CustomMention } from './custom-parsers.ts';
import { pastExpression, vagueExpression, weekdays } from './lexicon.ts';

export interface DateMention {
  start: number;
  end: number;
  text: string;
  day: Day;
  time?: string;
  /** How the day was given, for the role and confidence models. */
  form: 'explicit' | 'relative' | 'weekday' | CustomMention['kind'];
  disagrees?: boolean;
}

const parsers: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  nl: chrono.nl.casual,
};
const britishEnglish = chrono.en.GB;

export interface Reference {
  day: Day;
  instant: Date;
  offsetMinutes: number;
}

function timeOf(components: chrono.ParsedComponents): string | undefined {
  if (!components.isCertain('hour')) return undefined;
  const hour = components.get('hour') ?? 0;
  const minute = components.get('minute') ?? 0;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function chronoMentions(text: string, language: Language, ref: Reference, monthFirst: boolean): DateMention[] {
  const parser = language === 'en' && !monthFirst ? britishEnglish : parsers[language];
  const out: DateMention[] = [];
  const results = parser.parse(text, { instant: ref.instant, timezone: ref.offsetMinutes }, { forwardDate: true });
  for (const result of results) {
    const start = result.start;
    const words = result.text;
    // Numeric forms are the custom parser's (it knows the sender's order); times alone are no day.
    if (/^\d{1,4}[./-]\d{1,2}/.test(words.trim())) continue;
    const dayCertain = start.isCertain('day');
    const weekdayCertain = start.isCertain('weekday');
    if (!dayCertain && !weekdayCertain) continue;
    const tags = [...start.tags()].join(' ');
    const relativeUnit = /relativeDate/.test(tags);
    // "next week", "this month": a span, not a day; "in two weeks" has a number and is a day.
    if (relativeUnit && vagueExpression.test(words) && !/\d|\b(?:in|within|binnen|dans|en|innerhalb)\b/i.test(words))
      continue;
    let day: Day = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
    let form: DateMention['form'] = relativeUnit || /casualReference/.test(tags) ? 'relative' : 'explicit';
    if (!dayCertain && weekdayCertain) {
      // A bare weekday is the next one after the message's day, or the last one before it when
      // the words point back ("last Thursday").
      const wd = start.get('weekday')!;
      day = pastExpression.test(words) ? previousWeekday(ref.day, wd) : nextWeekday(ref.day, wd);
      form = 'weekday';
    }
    const time = timeOf(start);
    out.push({
      start: result.index,
      end: result.index + words.length,
      text: words,
      day,
      ...(time ? { time } : {}),
      form,
    });
  }
  return out;
}

/** Every day mentioned in text (all of it: the caller keeps what lies in content). */
export function findDateMentions(text: string, language: Language, ref: Reference, monthFirst: boolean): DateMention[] {
  const custom: DateMention[] = customMentions(text, ref.day, { monthFirst }).flatMap((mention) =>
    mention.days.map((day, i) => ({
      start: mention.start,
      end: mention.end,
      text: mention.text,
      day,
      form: mention.kind,
      ...(mention.disagrees ? { disagrees: true } : {}),
      ...(i > 0 ? {} : {}),
    })),
  );
  const fromChrono = chronoMentions(text, language, ref, monthFirst).filter(
    (mention) => !custom.some((other) => mention.start < other.end && other.start < mention.end),
  );
  // Of custom mentions that overlap, the longest wins (a range over the day it contains).
  const kept: DateMention[] = [];
  for (const mention of [...custom].sort((a, b) => b.end - b.start - (a.end - a.start))) {
    const clash = kept.find((other) => mention.start < other.end && other.start < mention.end);
    if (!clash || (clash.start === mention.start && clash.end === mention.end)) kept.push(mention);
  }
  return [...kept, ...fromChrono].sort((a, b) => a.start - b.start || compare(a.day, b.day));
}

/** "Friday" written next to a date that is not a Friday: the weekday and the date disagree. */
export function weekdayDisagrees(text: string, mention: DateMention): boolean {
  if (mention.form !== 'explicit') return false;
  const named = /([\p{L}]+)[,\s]+(?:the\s+|den\s+|le\s+|el\s+)?$/u.exec(
    text.slice(Math.max(0, mention.start - 16), mention.start),
  )?.[1];
  const wd = named ? weekdays[named.toLowerCase()] : undefined;
  return wd !== undefined && named!.length > 3 && wd !== weekday(mention.day);
}

export { addDays, iso };
