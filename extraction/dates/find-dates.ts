// Dates in a message's content with the role each plays. chrono-node (in the message's
// language) and the custom parsers find the mentions; roles.ts decides which are commitments.
import * as chrono from 'chrono-node';
import type { Language } from '../text/locale.ts';
import { addDays, compare, iso, nextWeekday, previousWeekday, weekday, type Day } from './calendar.ts';
import { extendedParser } from './chrono-extensions.ts';
import { customMentions, type CustomMention } from './custom-parsers.ts';
import { countedFromElsewhere, pastExpression } from './lexicon.ts';
import { weekdays } from './names.ts';

export interface DateMention {
  start: number;
  end: number;
  text: string;
  day: Day;
  time?: string;
  /** How the day was given, for the role and confidence models. */
  form: 'relative' | 'weekday' | CustomMention['kind'];
  disagrees?: boolean;
  probablyPast?: boolean;
}

const parsers: Record<Language, chrono.Chrono> = {
  en: extendedParser(chrono.en.casual),
  de: extendedParser(chrono.de.casual),
  fr: extendedParser(chrono.fr.casual),
  es: extendedParser(chrono.es.casual),
  nl: extendedParser(chrono.nl.casual),
};
const britishEnglish = extendedParser(chrono.en.GB);

export interface Reference {
  day: Day;
  instant: Date;
  offsetMinutes: number;
}

const relativePreposition =
  /(?<![\p{L}])(?:in|within|binnen|dans|en|innerhalb|dentro|d'ici|sous|ago|from now|il y a|hace|geleden|vor|over)(?![\p{L}])/iu;
const weekdayWord = (words: string) =>
  words.replace(/^(?:on|am|le|el|op|next|this|nächsten?|prochain|próximo|volgende)\s+/i, '').replace(/[.,\s]/g, '');

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
    // "a day or two", "dos días", "next week": a duration or a span, not a day; "in two weeks",
    // "il y a 3 jours" are days.
    if (relativeUnit && !relativePreposition.test(words)) continue;
    // "within 30 days of receipt", "na ontvangst … binnen 30 dagen": counted from another event.
    if (relativeUnit && countedFromElsewhere(text, result.index, result.index + words.length)) continue;
    if (
      relativeUnit &&
      /\b(?:hours?|hrs?|minutes?|mins?|stunden?|minuten?|heures?|horas?|minutos?|uur|uren)\b/i.test(words)
    )
      continue;
    // Two-letter weekday abbreviations ("Fr", "Di", "Sa") in prose are table heads, titles or parts of words.
    if (!dayCertain && weekdayCertain && weekdayWord(words).length <= 3) continue;
    let day: Day = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
    let form: DateMention['form'] = relativeUnit || /casualReference/.test(tags) ? 'relative' : 'explicit';
    if (form === 'explicit' && !start.isCertain('year')) {
      // chrono moved a day and month without a year forward; a recent past one is more likely.
      const back = { ...day, year: day.year - 1 };
      const ahead = Date.UTC(day.year, day.month - 1, day.day) - Date.UTC(ref.day.year, ref.day.month - 1, ref.day.day);
      const behind =
        Date.UTC(ref.day.year, ref.day.month - 1, ref.day.day) - Date.UTC(back.year, back.month - 1, back.day);
      if (ahead > 240 * 86_400_000 && behind <= 75 * 86_400_000) {
        out.push({
          start: result.index,
          end: result.index + words.length,
          text: words,
          day: back,
          form,
          probablyPast: true,
        });
        continue;
      }
    }
    if (!dayCertain && weekdayCertain) {
      // A bare weekday is the next one after the message's day, or the last one before it when
      // the words point back ("last Thursday").
      const wd = start.get('weekday')!;
      day = pastExpression.test(words) ? previousWeekday(ref.day, wd) : nextWeekday(ref.day, wd);
      form = 'weekday';
    }
    const time = timeOf(start);
    // "from Tuesday to Thursday": two mentions, each with its own words (one may replace the other).
    const split = result.end
      ? /^(.*?)(\s+(?:to|till|until|through|bis|au|à|a|hasta|al|tot|t\/m)\s+|\s*[-–—]\s*)(.+)$/iu.exec(words)
      : null;
    const endPart = split?.[3];
    const startText = split ? split[1]! : words;
    out.push({
      start: result.index,
      end: result.index + startText.length,
      text: startText,
      day,
      ...(time ? { time } : {}),
      form,
    });
    if (result.end && endPart && (result.end.isCertain('day') || result.end.isCertain('weekday'))) {
      const endDay: Day =
        !result.end.isCertain('day') && result.end.isCertain('weekday')
          ? nextWeekday(day, result.end.get('weekday')!)
          : { year: result.end.get('year')!, month: result.end.get('month')!, day: result.end.get('day')! };
      const at = result.index + words.length - endPart.length;
      out.push({ start: at, end: at + endPart.length, text: endPart, day: endDay, form });
    }
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
      ...(mention.probablyPast ? { probablyPast: true } : {}),
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
  return withCoordinatedWeekdays(
    text,
    withoutAppositiveWeekdays(
      text,
      [...kept, ...fromChrono].sort((a, b) => a.start - b.start || compare(a.day, b.day)),
    ),
  );
}

// "next week Wednesday or Thursday", "Tuesday the 23rd or Thursday", "mardi 16 ou jeudi": a bare
// weekday joined by "or"/"and" to a day just named is the first such weekday after that day, not
// after the message's own day.
const coordination = /^\s*(?:,|or|and|oder|und|ou|et|o|y|of|en|or else)\s+(?:(?:on|am|le|el|op)\s+)?$/iu;
function withCoordinatedWeekdays(text: string, mentions: DateMention[]): DateMention[] {
  const out: DateMention[] = [];
  for (const mention of mentions) {
    const previous = out.at(-1);
    const wd = mention.form === 'weekday' ? weekdays[weekdayWord(mention.text).toLowerCase()] : undefined;
    if (
      wd === undefined ||
      !previous ||
      previous.form === 'weekday' ||
      compare(previous.day, mention.day) < 0 ||
      !coordination.test(text.slice(previous.end, mention.start))
    ) {
      out.push(mention);
      continue;
    }
    out.push({ ...mention, day: nextWeekday(previous.day, wd) });
  }
  return out;
}

// "the 6th, the Saturday", "Friday (the 18th)", "on the 9th, a Tuesday": a weekday written beside a
// date of the same weekday names that date, not the next such weekday.
const appositionGap = /^[\s,(–—-]*(?:(?:the|a|which is|den|le|el|de|op|am)\s+)?[\s(]*$/iu;
function withoutAppositiveWeekdays(text: string, mentions: DateMention[]): DateMention[] {
  return mentions.filter((mention, i) => {
    if (mention.form !== 'weekday') return true;
    const wd = weekdays[weekdayWord(mention.text).toLowerCase()];
    if (wd === undefined) return true;
    const neighbours = [mentions[i - 1], mentions[i + 1]].filter((m): m is DateMention => m !== undefined);
    return !neighbours.some((other) => {
      if (other.form === 'weekday' || weekday(other.day) !== wd) return false;
      const gap =
        other.end <= mention.start ? text.slice(other.end, mention.start) : text.slice(mention.end, other.start);
      return gap.length <= 16 && appositionGap.test(gap);
    });
  });
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
