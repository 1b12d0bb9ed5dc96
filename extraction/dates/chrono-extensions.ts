// Day expressions chrono's locales miss, added as chrono parsers so that its own merging and
// refiners handle them like the rest: a weekday of next week in every order ("next week
// Thursday", "nächste Woche Donnerstag", "jeudi de la semaine prochaine", "el jueves de la semana
// que viene"), which chrono splits into "next week" and the coming Thursday.
import type * as chrono from 'chrono-node';
import { weekdayPattern, weekdays } from './names.ts';

type Parser = chrono.Chrono['parsers'][number];
type Context = Parameters<Parser['extract']>[0];

/** The sender's own calendar day, `days` after the reference (chrono's way: local getters of the adjusted date). */
function dayAfter(context: Context, days: number): { year: number; month: number; day: number } {
  const local = context.reference.getDateWithAdjustedTimezone();
  const target = new Date(local.getFullYear(), local.getMonth(), local.getDate() + days);
  return { year: target.getFullYear(), month: target.getMonth() + 1, day: target.getDate() };
}

const nextWeek =
  '(?:next\\s+week|nächste[nr]?\\s+woche|kommende[nr]?\\s+woche|la\\s+semaine\\s+prochaine|la\\s+semaine\\s+suivante|la\\s+semana\\s+que\\s+viene|la\\s+pr[oó]xima\\s+semana|volgende\\s+week|komende\\s+week)';
const weekdayOfNextWeek: Parser = {
  pattern: () =>
    new RegExp(
      `(?<![\\p{L}])(?:${nextWeek}[\\s,]+(?:on\\s+|am\\s+|le\\s+|el\\s+|op\\s+)?(${weekdayPattern})|(${weekdayPattern})[\\s,]+(?:of\\s+|de\\s+la\\s+|de\\s+)?${nextWeek})(?![\\p{L}])`,
      'iu',
    ),
  extract: (context, match) => {
    const name = (match[1] ?? match[2] ?? '').toLowerCase();
    const wd = weekdays[name];
    if (wd === undefined) return null;
    const today = context.reference.getDateWithAdjustedTimezone().getDay();
    // Monday of next week, then the named day of that week (weeks start on Monday in all five locales).
    const toMonday = (8 - today) % 7 || 7;
    const components = context.createParsingComponents(dayAfter(context, toMonday + ((wd + 6) % 7)));
    return components.assign('weekday', wd).addTag('casualReference/weekdayOfNextWeek');
  },
};

/** A locale's casual parser with the additions. */
export function extendedParser(base: chrono.Chrono): chrono.Chrono {
  const parser = base.clone();
  // First, so that it wins over a locale's own reading of the same words (chrono keeps the first
  // of two equal overlapping results): Dutch reads "volgende week woensdag" as a bare weekday.
  parser.parsers.unshift(weekdayOfNextWeek);
  return parser;
}
