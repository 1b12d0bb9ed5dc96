import { TranscriptError } from './errors.ts';

// Timestamps as transcripts write them: `00:14:32.120` (WebVTT), `00:14:32,120` (SRT), `14:32`,
// `1:02:03` and `0:03` (Otter, Teams). A part out of range is an error naming the line, never a
// time quietly wrapped into the next minute.

const shape = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/;

/** Whether the string has the shape of a timestamp (its parts may still be out of range). */
export function looksLikeTime(value: string): boolean {
  return shape.test(value.trim());
}

/** Milliseconds from the start of the recording; throws a TranscriptError naming the line. */
export function timeMs(value: string, line: number, what = 'timestamp'): number {
  const match = shape.exec(value.trim());
  if (!match) throw new TranscriptError(`${what} '${value.trim()}' is not a time`, line);
  const [, h, m = '0', s = '0', frac] = match;
  const hours = h === undefined ? 0 : Number(h);
  const minutes = Number(m);
  const seconds = Number(s);
  // With hours, minutes are below 60; `75:10` alone (minutes:seconds) is a long meeting's minute 75.
  if ((h !== undefined && minutes > 59) || seconds > 59) {
    throw new TranscriptError(`${what} '${value.trim()}' is not a time`, line);
  }
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** `00:14:32` (hours always shown): how a citation names a moment. */
export function formatMs(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}
