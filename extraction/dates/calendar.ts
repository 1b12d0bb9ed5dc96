// Calendar days as the sender lives them: no instants, no time zones, just Y-M-D arithmetic.

export interface Day {
  year: number;
  month: number; // 1-12
  day: number;
}

const toUtc = (d: Day) => Date.UTC(d.year, d.month - 1, d.day);
const fromUtc = (ms: number): Day => {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

export function iso(day: Day): string {
  return `${String(day.year).padStart(4, '0')}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

export function parseIsoDay(text: string): Day {
  const [year = 1970, month = 1, day = 1] = text.slice(0, 10).split('-').map(Number);
  return { year, month, day };
}

export function addDays(day: Day, n: number): Day {
  return fromUtc(toUtc(day) + n * 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return new Date(toUtc(day)).getUTCDay();
}

export function compare(a: Day, b: Day): number {
  return toUtc(a) - toUtc(b);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function endOfMonth(day: Day, monthsAhead = 0): Day {
  const index = day.month - 1 + monthsAhead;
  const year = day.year + Math.floor(index / 12);
  const month = (((index % 12) + 12) % 12) + 1;
  return { year, month, day: daysInMonth(year, month) };
}

/** The n-th weekday (Mon–Fri) after `day`. */
export function addWorkingDays(day: Day, n: number): Day {
  let current = day;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    const wd = weekday(current);
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return current;
}

/** The next day strictly after `day` that falls on weekday `wd`. */
export function nextWeekday(day: Day, wd: number): Day {
  const ahead = (wd - weekday(day) + 7) % 7 || 7;
  return addDays(day, ahead);
}

/** The most recent day strictly before `day` on weekday `wd`. */
export function previousWeekday(day: Day, wd: number): Day {
  const back = (weekday(day) - wd + 7) % 7 || 7;
  return addDays(day, -back);
}

/** The next day on or after `day` whose day of month is `dom` (and weekday `wd` when given). */
export function nextDayOfMonth(day: Day, dom: number, wd?: number): Day | undefined {
  for (let m = 0; m < 24; m++) {
    const index = day.month - 1 + m;
    const year = day.year + Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (!isValidDay(year, month, dom)) continue;
    const candidate = { year, month, day: dom };
    if (compare(candidate, day) < 0) continue;
    if (wd === undefined || weekday(candidate) === wd) return candidate;
  }
  return undefined;
}

/** The next occurrence of month/day on or after `day`. */
export function nextMonthDay(day: Day, month: number, dom: number): Day | undefined {
  for (let y = 0; y < 5; y++) {
    const year = day.year + y;
    if (!isValidDay(year, month, dom)) continue;
    const candidate = { year, month, day: dom };
    if (compare(candidate, day) >= 0) return candidate;
  }
  return undefined;
}
