// Background windows in UTC, pure: is now inside, and when does the next one open.
import type { RunWindow } from '../schemas/run-policy.ts';

const DAY_MS = 86_400_000;

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Minutes the window stays open; an end before the start spans midnight, equal means all day. */
export function windowLength(window: RunWindow): number {
  const length = (minutesOf(window.end) - minutesOf(window.start) + 1440) % 1440;
  return length === 0 ? 1440 : length;
}

function openingOn(day: Date, window: RunWindow): Date {
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return new Date(midnight + minutesOf(window.start) * 60_000);
}

const opensOn = (window: RunWindow, day: Date) => !window.days || window.days.includes(day.getUTCDay());

export function insideWindow(window: RunWindow, now: Date): boolean {
  for (const back of [1, 0]) {
    const opening = openingOn(new Date(now.getTime() - back * DAY_MS), window);
    if (!opensOn(window, opening)) continue;
    const closing = opening.getTime() + windowLength(window) * 60_000;
    if (opening.getTime() <= now.getTime() && now.getTime() < closing) return true;
  }
  return false;
}

/** The first opening at or after `after` (now, when inside a window, is not an opening). */
export function nextOpening(window: RunWindow, after: Date): Date {
  for (let ahead = 0; ahead <= 7; ahead++) {
    const opening = openingOn(new Date(after.getTime() + ahead * DAY_MS), window);
    if (opensOn(window, opening) && opening.getTime() >= after.getTime()) return opening;
  }
  throw new Error('the window never opens');
}

export function describeWindow(window: RunWindow): string {
  const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const days = window.days
    ? ` on ${[...window.days]
        .sort()
        .map((d) => names[d])
        .join(', ')}`
    : '';
  return `${window.start}–${window.end} UTC${days}`;
}

/** Midnight UTC of the first day of the next month: when monthly budgets start over. */
export function nextMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
