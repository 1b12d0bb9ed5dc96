// Date forms chrono-node misses or gets wrong, in the five languages: a weekday with a day of
// the month ("Friday the 18th", "am Freitag, den 18."), a bare ordinal day ("the 18th"), day
// ranges ("12–14 May", "du 12 au 14 mai"), "within 10 working days", "in two weeks", "end of
// next month", the day after tomorrow, and numeric day-first dates ("18.12.", "18/12/2026").
import {
  addDays,
  addWorkingDays,
  compare,
  weekday,
  endOfMonth,
  isValidDay,
  nextDayOfMonth,
  nextMonthDay,
  nextWeekday,
  type Day,
} from './calendar.ts';
import { countedFromElsewhere, moveVerb } from './lexicon.ts';
import { monthPattern, months, weekdayPattern, weekdays } from './names.ts';

export interface CustomMention {
  start: number;
  end: number;
  text: string;
  days: Day[];
  /** Weekday named next to a day of the month that has no such weekday in the coming months. */
  disagrees?: boolean;
  kind:
    | 'explicit'
    | 'weekday-day'
    | 'ordinal-day'
    | 'range'
    | 'working-days'
    | 'relative'
    | 'end-of-period'
    | 'after-tomorrow'
    | 'numeric'
    | 'schedule';
  /** A day and month without a year that most likely lies in the past ("the invoice of 22 October"). */
  probablyPast?: boolean;
}

const numberWords: Record<string, number> = {
  one: 1,
  a: 1,
  an: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  ein: 1,
  eine: 1,
  einer: 1,
  einem: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  fünf: 5,
  sechs: 6,
  sieben: 7,
  acht: 8,
  neun: 9,
  zehn: 10,
  elf: 11,
  zwölf: 12,
  vierzehn: 14,
  zwanzig: 20,
  dreißig: 30,
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  quinze: 15,
  vingt: 20,
  trente: 30,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  doce: 12,
  catorce: 14,
  quince: 15,
  veinte: 20,
  treinta: 30,
  een: 1,
  één: 1,
  twee: 2,
  drie: 3,
  vijf: 5,
  zes: 6,
  zeven: 7,
  negen: 9,
  tien: 10,
  twaalf: 12,
  veertien: 14,
  vijftien: 15,
  twintig: 20,
  dertig: 30,
};
const numberWordPattern = Object.keys(numberWords)
  .sort((a, b) => b.length - a.length)
  .join('|');
const count = (token: string) => (/^\d+$/.test(token) ? Number(token) : (numberWords[token.toLowerCase()] ?? NaN));

const B = '(?<![\\p{L}\\d])';
const E = '(?![\\p{L}\\d])';
const ordinalSuffix = '(?:st|nd|rd|th|\\.|e|er|ème|º|°|ste|de)?';
const re = (source: string) => new RegExp(source, 'giu');

// ("Thursday 11am" is a time on Thursday, not the 11th.)
const weekdayDay = re(
  `${B}(?<wd>${weekdayPattern})${E},?\\s+(?:the\\s+|den\\s+|de\\s+|le\\s+|el\\s+|am\\s+)?(?<dom>\\d{1,2})(?!\\d)(?!\\s*(?:am|pm|a\\.m\\.|p\\.m\\.|uhr|h|uur|hrs|o'clock)${E})(?:st|nd|rd|th|e|er|ème|º|°|ste|de)?(?!\\.?\\s*(?:of\\s+|de\\s+|del\\s+)?(?:${monthPattern})${E})(?![.:/h]?\\d)\\.?`,
);
// "Friday 6 March", "6th of March 2026", "am 18. Dezember", "le 18 décembre", "el 18 de diciembre", "op 18 december",
// "March 6", "March 6th, 2026": day and month, with an optional weekday and year.
const dayMonth = re(
  `${B}(?:(?<wd>${weekdayPattern})${E},?\\s+(?:the\\s+|den\\s+|le\\s+|el\\s+)?)?(?<dom>\\d{1,2})(?!\\d)(?:st|nd|rd|th|e|er|ème|º|°)?\\.?\\s*(?:of\\s+|de\\s+)?(?<month>${monthPattern})${E}\\.?(?:,?\\s+(?:de\\s+)?(?<year>\\d{4})${E})?`,
);
const monthDay = re(
  `${B}(?:(?<wd>${weekdayPattern})${E},?\\s+)?(?<month>${monthPattern})${E}\\.?\\s+(?:the\\s+)?(?<dom>\\d{1,2})(?!\\d)(?:st|nd|rd|th)?${E}(?!\\s*(?:[-–—]|to|and|&)\\s*\\d)(?!:\\d)(?:,?\\s+(?<year>\\d{4})${E})?`,
);
// "Monday to Friday", "lundi au vendredi", "Mo–Fr": a weekly schedule, not a day.
const weekdayRange = re(
  `${B}(?:from\\s+|von\\s+|de\\s+|du\\s+|van\\s+)?(?:${weekdayPattern})${E}\\s*(?:-|–|—|to|through|bis|au|à|a|hasta|tot|t/m)\\s*(?:${weekdayPattern})${E}`,
);
const ordinalDay = [
  re(`${B}(?:the\\s+)(?<dom>\\d{1,2})(?:st|nd|rd|th)${E}(?!\\s*(?:of\\s+)?(?:${monthPattern})${E})`),
  re(
    `${B}(?:on|by|until|before|for)\\s+the\\s+(?<dom>\\d{1,2})(?:st|nd|rd|th)?${E}(?!\\s*(?:of\\s+)?(?:${monthPattern})${E})`,
  ),
  re(
    `${B}(?:den|am|zum|bis zum|ab dem|vom|statt am|statt dem)\\s+(?<dom>\\d{1,2})\\.(?!\\s*\\d)(?!\\s*(?:${monthPattern})${E})`,
  ),
  re(
    `${B}(?:avant le|d'ici le|pour le|jusqu'au|au plus tard le|dès le|du|au lieu du|plutôt que le|le)\\s+(?<dom>\\d{1,2})(?:er)?(?=\\s+(?:au lieu|plutôt|et non|ou le|[,.;!?])|[,.;!?]|$)`,
  ),
  re(
    `${B}(?:antes del|para el|hasta el|a partir del|el|del|en lugar del|en vez del)\\s+(?<dom>\\d{1,2})(?=\\s+(?:en lugar|en vez|y no|o el|[,.;!?])|[,.;!?]|$)`,
  ),
  re(
    `${B}(?:op de|voor de|tot de|de|in plaats van de)\\s+(?<dom>\\d{1,2})(?:e|ste|de)${E}(?!\\s*(?:${monthPattern})${E})`,
  ),
];
const dayRange = [
  re(
    `${B}(?:from\\s+|between\\s+(?:the\\s+)?|vom\\s+|zwischen\\s+(?:dem\\s+)?|du\\s+|entre\\s+le\\s+|del\\s+|entre\\s+el\\s+|van\\s+|tussen\\s+)?(?<a>\\d{1,2})${ordinalSuffix}\\s*(?:-|–|—|to|till|until|and|&|bis(?:\\s+zum)?|und|au|et|al|y|a|tot(?:\\s+en\\s+met)?|t/m|en)\\s*(?:the\\s+|el\\s+|le\\s+|dem\\s+|den\\s+|de\\s+)?(?<b>\\d{1,2})${ordinalSuffix}\\s+(?:of\\s+|de\\s+)?(?<month>${monthPattern})\\.?${E}(?:\\s+(?<year>\\d{4}))?`,
  ),
  re(
    `${B}(?<month>${monthPattern})\\.?\\s+(?<a>\\d{1,2})(?:st|nd|rd|th)?\\s*(?:-|–|—|to|through|thru|and|&)\\s*(?<b>\\d{1,2})(?:st|nd|rd|th)?${E}(?:,?\\s+(?<year>\\d{4}))?`,
  ),
];
const workingDays = re(
  `${B}(?:within|in|in the next|innerhalb\\s+(?:von\\s+)?|binnen|in|sous|dans les|d'ici|en|dentro de(?:\\s+los)?)\\s+(?<n>\\d{1,2}|${numberWordPattern})\\s+(?:working|business|work)\\s+days?|${B}(?:innerhalb\\s+(?:von\\s+)?|binnen\\s+|in\\s+)(?<n2>\\d{1,2}|${numberWordPattern})\\s+(?:Werktag(?:en|e)?|Arbeitstag(?:en|e)?)${E}|${B}(?:sous|dans les|d'ici|en)\\s+(?<n3>\\d{1,2}|${numberWordPattern})\\s+jours?\\s+ouvr(?:és|ables)${E}|${B}(?:en|dentro de)\\s+(?:los\\s+)?(?:próximos\\s+)?(?<n4>\\d{1,2}|${numberWordPattern})\\s+días\\s+(?:hábiles|laborables)${E}|${B}binnen\\s+(?<n5>\\d{1,2}|${numberWordPattern})\\s+werkdag(?:en)?${E}`,
);
const relative = re(
  `${B}(?:in|within|in the next|innerhalb\\s+(?:von\\s+)?|binnen|dans|d'ici|sous|en|dentro de)\\s+(?<n>\\d{1,3}|${numberWordPattern})\\s+(?<unit>days?|weeks?|months?|Tag(?:en|e)?|Woche(?:n)?|Monat(?:en|e)?|jours?|semaines?|mois|días?|semanas?|mes(?:es)?|dag(?:en)?|we(?:e)?k(?:en)?|maand(?:en)?)${E}|${B}over\\s+(?<n2>\\d{1,3}|${numberWordPattern})\\s+(?<unit2>dagen|weken|maanden)${E}`,
);
// "net 30 from today", "30 days from today", "14 Tage ab heute", "30 jours à compter d'aujourd'hui".
const fromToday = re(
  `${B}(?:net\\s+)?(?<n>\\d{1,3}|${numberWordPattern})\\s*(?<unit>days?|Tage?n?|jours?|días|dagen)?\\s+(?:from|ab|à compter d'|a partir de|vanaf)\\s*(?:today|now|heute|aujourd'hui|hoy|vandaag)${E}`,
);
const endOfPeriod = re(
  `${B}(?:(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?(?<en>month|next month|the next month|following month|week|this week|next week)|Ende\\s+(?:des\\s+|dieses\\s+|diesen\\s+)?(?<de>Monats|nächsten Monats|kommenden Monats|der Woche|dieser Woche|nächster Woche)|(?<de2>Monatsende|Wochenende)|(?:à\\s+la\\s+)?fin\\s+(?:du\\s+|de\\s+)?(?<fr>mois prochain|mois|semaine prochaine|semaine|la semaine)|(?:a\\s+)?(?:finales|fin|final)\\s+de(?:l)?\\s+(?<es>próximo mes|mes que viene|mes próximo|mes|semana|esta semana)|eind\\s+(?:van\\s+)?(?:de\\s+|deze\\s+)?(?<nl>volgende maand|maand|week|deze week|volgende week))${E}`,
);
const endOfNamedMonth = re(
  `${B}(?:(?:the\\s+)?end\\s+of|Ende|fin(?:\\s+de)?|finales\\s+de|final\\s+de|eind)\\s+(?<month>${monthPattern})\\.?${E}(?:\\s+(?<year>\\d{4}))?`,
);
const afterTomorrow = re(`${B}(?:(?:the\\s+)?day after tomorrow|übermorgen|après-demain|pasado mañana|overmorgen)${E}`);
const numericDotted = re(`${B}(?<d>\\d{1,2})\\.(?<m>\\d{1,2})\\.(?<y>\\d{4}|\\d{2}(?!\\d))?(?![\\d,])`);
const numericSlashed = re(`${B}(?<a>\\d{1,2})[/-](?<b>\\d{1,2})(?:[/-](?<y>\\d{4}|\\d{2}))?(?![\\d/-])`);
const isoDate = re(`${B}(?<y>\\d{4})-(?<m>\\d{2})-(?<d>\\d{2})${E}`);

function fullYear(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

/**
 * A day and month (and maybe a year and weekday) as a calendar day. Without a year it is the next
 * occurrence, unless that is far ahead while the last one was recent: "the invoice of 22 October"
 * written on 10 November means the one just past. A named weekday picks the year it agrees with.
 */
function resolveDayMonth(
  ref: Day,
  month: number,
  dom: number,
  year: number | undefined,
  wd: number | undefined,
): { day: Day; disagrees?: boolean; probablyPast?: boolean } | undefined {
  if (year !== undefined) {
    if (!isValidDay(year, month, dom)) return undefined;
    const day = { year, month, day: dom };
    return wd !== undefined && weekday(day) !== wd ? { day, disagrees: true } : { day };
  }
  const next = nextMonthDay(ref, month, dom);
  const lastYear = isValidDay(ref.year - 1, month, dom) ? { year: ref.year - 1, month, day: dom } : undefined;
  const thisYear = isValidDay(ref.year, month, dom) ? { year: ref.year, month, day: dom } : undefined;
  const previous = thisYear && compare(thisYear, ref) < 0 ? thisYear : lastYear;
  if (!next) return undefined;
  if (wd !== undefined) {
    if (weekday(next) === wd) return { day: next };
    if (previous && weekday(previous) === wd) return { day: previous, probablyPast: true };
    return { day: next, disagrees: true };
  }
  const ahead =
    (Date.UTC(next.year, next.month - 1, next.day) - Date.UTC(ref.year, ref.month - 1, ref.day)) / 86_400_000;
  const behind = previous
    ? (Date.UTC(ref.year, ref.month - 1, ref.day) - Date.UTC(previous.year, previous.month - 1, previous.day)) /
      86_400_000
    : Infinity;
  if (ahead > 240 && behind <= 75) return { day: previous!, probablyPast: true };
  return { day: next };
}

function explicitDay(year: number | undefined, month: number, dom: number, ref: Day): Day | undefined {
  if (year !== undefined) return isValidDay(year, month, dom) ? { year, month, day: dom } : undefined;
  return nextMonthDay(ref, month, dom);
}

export interface CustomOptions {
  /** Numeric dates: 03/04 is 4 March (month-first, US) or 3 April. */
  monthFirst: boolean;
}

export function customMentions(text: string, ref: Day, options: CustomOptions): CustomMention[] {
  const out: CustomMention[] = [];
  const push = (
    match: RegExpMatchArray,
    days: (Day | undefined)[],
    kind: CustomMention['kind'],
    extra: Partial<CustomMention> = {},
  ) => {
    const valid = days.filter((day): day is Day => day !== undefined);
    if (valid.length === 0) return;
    out.push({ start: match.index!, end: match.index! + match[0].length, text: match[0], days: valid, kind, ...extra });
  };

  for (const match of text.matchAll(weekdayRange)) {
    // "moved from Tuesday to Thursday" is two days, one replacing the other, not a weekly schedule.
    if (moveVerb.test(text.slice(Math.max(0, match.index - 60), match.index))) continue;
    out.push({
      start: match.index,
      end: match.index + match[0].length,
      text: match[0],
      days: [ref],
      kind: 'schedule',
    });
  }
  for (const pattern of [dayMonth, monthDay]) {
    for (const match of text.matchAll(pattern)) {
      const month = months[match.groups!.month!.toLowerCase().replace(/\.$/, '')];
      const dom = Number(match.groups!.dom);
      // "may" and "mar" are also words: only as a month next to a number, which both patterns require.
      if (!month || dom < 1 || dom > 31) continue;
      const wd = match.groups!.wd ? weekdays[match.groups!.wd.toLowerCase()] : undefined;
      const year = fullYear(match.groups!.year);
      const resolved = resolveDayMonth(ref, month, dom, year, wd);
      if (!resolved) continue;
      out.push({
        start: match.index,
        end: match.index + match[0].replace(/[\s.]+$/, '').length,
        text: match[0].replace(/[\s.]+$/, ''),
        days: [resolved.day],
        kind: 'explicit',
        ...(resolved.disagrees ? { disagrees: true } : {}),
        ...(resolved.probablyPast ? { probablyPast: true } : {}),
      });
    }
  }
  for (const match of text.matchAll(fromToday)) {
    const n = count(match.groups!.n!);
    if (n > 0 && n < 400) push(match, [addDays(ref, n)], 'relative');
  }
  for (const match of text.matchAll(weekdayDay)) {
    const wd = weekdays[match.groups!.wd!.toLowerCase()];
    const dom = Number(match.groups!.dom);
    if (wd === undefined || dom < 1 || dom > 31) continue;
    const agreed = nextDayOfMonth(ref, dom, wd);
    // A weekday that never falls on that day soon: keep the day, say it disagrees (a person checks).
    const day = agreed ?? nextDayOfMonth(ref, dom);
    push(match, [day], 'weekday-day', agreed ? {} : { disagrees: true });
  }
  for (const pattern of ordinalDay) {
    for (const match of text.matchAll(pattern)) {
      const dom = Number(match.groups!.dom);
      if (dom < 1 || dom > 31) continue;
      const at = match.index + match[0].lastIndexOf(match.groups!.dom!);
      out.push({
        start: at,
        end: match.index + match[0].length,
        text: match[0].slice(at - match.index),
        days: [nextDayOfMonth(ref, dom)!].filter(Boolean),
        kind: 'ordinal-day',
      });
    }
  }
  for (const pattern of dayRange) {
    for (const match of text.matchAll(pattern)) {
      const month = months[match.groups!.month!.toLowerCase().replace(/\.$/, '')];
      const a = Number(match.groups!.a);
      const b = Number(match.groups!.b);
      if (!month || a >= b || b > 31) continue;
      const year = fullYear(match.groups!.year);
      const first = resolveDayMonth(ref, month, a, year, undefined);
      const last = first ? explicitDay(first.day.year, month, b, ref) : undefined;
      push(match, [first?.day, last], 'range', first?.probablyPast ? { probablyPast: true } : {});
    }
  }
  for (const match of text.matchAll(workingDays)) {
    const g = match.groups!;
    const n = count(g.n ?? g.n2 ?? g.n3 ?? g.n4 ?? g.n5 ?? '');
    if (n > 0 && n < 100 && !countedFromElsewhere(text, match.index, match.index + match[0].length))
      push(match, [addWorkingDays(ref, n)], 'working-days');
  }
  for (const match of text.matchAll(relative)) {
    // Dutch "over twee weken" is "in two weeks"; only Dutch plural units, so English "over two
    // weeks" (a duration) is not read as a date.
    const n = count(match.groups!.n ?? match.groups!.n2!);
    const unit = (match.groups!.unit ?? match.groups!.unit2!).toLowerCase();
    if (!(n > 0 && n < 400) || countedFromElsewhere(text, match.index, match.index + match[0].length)) continue;
    if (/^(?:day|tag|jour|día|dia|dag)/.test(unit)) push(match, [addDays(ref, n)], 'relative');
    else if (/^(?:week|woche|semaine|semana|wee?k)/.test(unit)) push(match, [addDays(ref, 7 * n)], 'relative');
    else {
      const target = endOfMonth(ref, n);
      push(match, [{ ...target, day: Math.min(ref.day, target.day) }], 'relative');
    }
  }
  for (const match of text.matchAll(endOfPeriod)) {
    const phrase = Object.values(match.groups!).find(Boolean)!.toLowerCase();
    const next = /next|nächst|kommend|prochain|próximo|que viene|volgende/.test(phrase);
    if (/week|woche|semaine|semana/.test(phrase)) {
      const friday = nextWeekday(addDays(ref, next ? 7 - 1 : -1), 5);
      push(match, [friday], 'end-of-period');
    } else push(match, [endOfMonth(ref, next ? 1 : 0)], 'end-of-period');
  }
  for (const match of text.matchAll(endOfNamedMonth)) {
    const month = months[match.groups!.month!.toLowerCase().replace(/\.$/, '')];
    if (!month) continue;
    const year = fullYear(match.groups!.year) ?? (month < ref.month ? ref.year + 1 : ref.year);
    push(match, [endOfMonth({ year, month, day: 1 })], 'end-of-period');
  }
  for (const match of text.matchAll(afterTomorrow)) push(match, [addDays(ref, 2)], 'after-tomorrow');
  for (const match of text.matchAll(numericDotted)) {
    const d = Number(match.groups!.d);
    const m = Number(match.groups!.m);
    // "18.12" without a closing dot or year is too often a number: only "18.12." or "18.12.2026".
    if (!match.groups!.y && !match[0].endsWith('.')) continue;
    push(match, [explicitDay(fullYear(match.groups!.y), m, d, ref)], 'numeric');
  }
  for (const match of text.matchAll(numericSlashed)) {
    const a = Number(match.groups!.a);
    const b = Number(match.groups!.b);
    // A dash between two small numbers without a year is a range or a score, not a date.
    if (!match.groups!.y && match[0].includes('-')) continue;
    let [m, d] = options.monthFirst ? [a, b] : [b, a];
    if (m > 12 && d <= 12) [m, d] = [d, m];
    push(match, [explicitDay(fullYear(match.groups!.y), m, d, ref)], 'numeric');
  }
  for (const match of text.matchAll(isoDate)) {
    push(
      match,
      [explicitDay(Number(match.groups!.y), Number(match.groups!.m), Number(match.groups!.d), ref)],
      'numeric',
    );
  }
  return out;
}
