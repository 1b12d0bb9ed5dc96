// Date mentions with chrono-node, resolved against when the email was written, in the sender's
// time zone. A few forms chrono reads differently from how people mean them are handled first.
import * as chrono from 'chrono-node';

export interface Reference {
  /** When the message was written. */
  instant: Date;
  /** The sender's UTC offset then, in minutes (+60 for CET). */
  offsetMinutes: number;
}

/** How to read "05/06": month first (US) or day first (almost everywhere else). */
export type DateOrder = 'month-first' | 'day-first';

export interface FoundDate {
  text: string;
  index: number;
  /** YYYY-MM-DD in the sender's time zone. */
  day: string;
  /** ISO 8601: the day, or a date-time with offset when a time of day was written. */
  date: string;
  confidence: number;
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const pad = (value: number) => String(value).padStart(2, '0');
const dayString = ({ year, month, day }: LocalDay) => `${year}-${pad(month)}-${pad(day)}`;

function localDay(reference: Reference, plusDays = 0): LocalDay & { weekday: number } {
  const shifted = new Date(reference.instant.getTime() + reference.offsetMinutes * 60_000 + plusDays * 86_400_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
  };
}

function offsetString(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The year that puts day/month closest to the reference (an email's "5.4." is near its date). */
function nearestYear(month: number, day: number, reference: Reference): number {
  const today = localDay(reference);
  const candidates = [today.year - 1, today.year, today.year + 1];
  const distance = (year: number) =>
    Math.abs(Date.UTC(year, month - 1, day) - Date.UTC(today.year, today.month - 1, today.day));
  return candidates.reduce((best, year) => (distance(year) < distance(best) ? year : best));
}

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// "13.03.", "5.4.", "21.03.2025": always day first. chrono reads "13.03" as a time of day.
const dottedDate = /(?<![\w.,])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?/g;

// "end of next week" is a Friday to people who work (chrono says Saturday); EOD is today.
const endOfPeriod =
  /\b(?:(?:the\s+)?end of (?:the\s+|this\s+)?(next\s+)?(day|week|month)|(EOD|COB|EOW|EOM)|close of business)\b/gi;

// "20/03/2025" in day-first mail. chrono's en-GB parser also reads "April 15" as April 2015,
// so the US parser handles everything else and day-first numbers are read here.
const slashDate = /(?<![\w/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\w/])/g;

function preParsed(text: string, reference: Reference, order: DateOrder): FoundDate[] {
  const found: FoundDate[] = [];
  const numeric =
    order === 'day-first'
      ? [...text.matchAll(dottedDate), ...text.matchAll(slashDate)]
      : [...text.matchAll(dottedDate)];
  for (const match of numeric) {
    if (match[0] === '24/7') continue;
    const day = Number(match[1]);
    const month = Number(match[2]);
    let year = match[3] ? Number(match[3]) : nearestYear(month, day, reference);
    if (year < 100) year += 2000;
    if (month < 1 || month > 12 || !validDay(year, month, day)) continue;
    const iso = dayString({ year, month, day });
    const ambiguous = match[0].includes('/') && day <= 12;
    found.push({
      text: match[0],
      index: match.index,
      day: iso,
      date: iso,
      confidence: ambiguous ? 0.7 : match[3] ? 0.95 : 0.85,
    });
  }
  for (const match of text.matchAll(endOfPeriod)) {
    const next = Boolean(match[1]);
    const unit = (match[2] ?? match[3] ?? 'day').toLowerCase();
    const today = localDay(reference);
    let target: LocalDay;
    if (unit === 'week' || unit === 'eow') {
      const toFriday = (5 - today.weekday + 7) % 7;
      target = localDay(reference, toFriday + (next ? 7 : 0));
    } else if (unit === 'month' || unit === 'eom') {
      const month = today.month + (next ? 1 : 0);
      const last = new Date(Date.UTC(today.year, month, 0));
      target = { year: last.getUTCFullYear(), month: last.getUTCMonth() + 1, day: last.getUTCDate() };
    } else {
      target = today;
    }
    const iso = dayString(target);
    found.push({ text: match[0], index: match.index, day: iso, date: iso, confidence: 0.7 });
  }
  return found;
}

/** Words that name a day although chrono marks nothing about them as certain. */
const casualDay =
  /\b(today|tonight|tomorrow|yesterday|this (morning|afternoon|evening)|heute|morgen|gestern|übermorgen)\b/i;
/** Periods and durations are not days: "next week", "this weekend", "within 48 hours", "in 3 days". */
const notADay =
  /\b(week|weeks|weekend|month|months|year|years|quarter)\b|^(in|within|after)\s+\d|^(now|jetzt|right now)$|24\/7/i;
const weekdayModifier = /\b(this|next|last|past|coming|previous|kommenden|nächsten|letzten)\b/i;
const ambiguousNumeric = /\b(\d{1,2})[/-](\d{1,2})\b/;

function fromChrono(result: chrono.ParsedResult, reference: Reference, order: DateOrder): FoundDate | undefined {
  const { start, text } = result;
  const casual = casualDay.test(text);
  if (!start.isCertain('day') && !start.isCertain('weekday') && !casual) return undefined;
  if (notADay.test(text.trim())) return undefined;
  let day: LocalDay = { year: start.get('year') ?? 0, month: start.get('month') ?? 0, day: start.get('day') ?? 0 };
  let confidence = 0.9;
  if (start.isCertain('weekday') && !start.isCertain('day')) {
    const weekday = start.get('weekday') ?? 0;
    const modified = weekdayModifier.exec(text)?.[1]?.toLowerCase();
    if (!modified) {
      // A bare weekday is the next one ahead; on that weekday itself, the one a week later.
      const today = localDay(reference);
      day = localDay(reference, (weekday - today.weekday + 7) % 7 || 7);
      confidence = 0.75;
    } else {
      confidence = modified === 'next' ? 0.6 : 0.7;
    }
  } else if (casual) {
    confidence = 0.85;
  } else {
    const numeric = ambiguousNumeric.exec(text);
    if (numeric && Number(numeric[1]) <= 12 && Number(numeric[2]) <= 12)
      confidence = order === 'month-first' ? 0.65 : 0.7;
    else if (start.isCertain('year')) confidence = 0.95;
  }
  if (!validDay(day.year, day.month, day.day)) return undefined;
  const iso = dayString(day);
  const hasTime = start.isCertain('hour');
  const date = hasTime
    ? `${iso}T${pad(start.get('hour') ?? 0)}:${pad(start.get('minute') ?? 0)}:00${offsetString(reference.offsetMinutes)}`
    : iso;
  return { text: text.trim(), index: result.index, day: iso, date, confidence };
}

const overlaps = (a: { index: number; text: string }, b: { index: number; text: string }) =>
  a.index < b.index + b.text.length && b.index < a.index + a.text.length;

/** Day mentions in a piece of text, in order of appearance. */
export function findDates(text: string, reference: Reference, order: DateOrder, german = false): FoundDate[] {
  const chronoReference = { instant: reference.instant, timezone: reference.offsetMinutes };
  const found = preParsed(text, reference, order);
  const parsers = [chrono.en.casual, ...(german ? [chrono.de.casual] : [])];
  for (const parser of parsers) {
    for (const result of parser.parse(text, chronoReference)) {
      const date = fromChrono(result, reference, order);
      if (date && !found.some((other) => overlaps(other, date))) found.push(date);
      // "from April 17 through April 25": the end of a range is a day too.
      const end = result.end;
      if (date && end?.isCertain('day')) {
        const endDay = `${end.get('year')}-${String(end.get('month')).padStart(2, '0')}-${String(end.get('day')).padStart(2, '0')}`;
        if (endDay !== date.day)
          found.push({
            text: result.text,
            index: result.index + 1,
            day: endDay,
            date: endDay,
            confidence: date.confidence,
          });
      }
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const germanWords =
  /\b(und|der|das|ich|nicht|bitte|leider|noch|ist|jetzt|beim|kannst|du|wir|für|mit|unseren|muss|eine|sehr|auch|aber|nächste)\b/gi;

/** Enough German function words that German day names ("am Mittwoch") are worth reading. */
export function looksGerman(text: string): boolean {
  return new Set((text.match(germanWords) ?? []).map((word) => word.toLowerCase())).size >= 3;
}
