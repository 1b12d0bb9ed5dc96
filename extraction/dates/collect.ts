// The days a message commits to or proposes, and the ones it mentions but must not be taken
// for (with the reason, for the reviewer). Only new and forwarded text counts; a forwarded
// message's relative dates resolve from its own date.
import * as chrono from 'chrono-node';
import type { Forward, MessageStructure } from '../message/structure.ts';
import { kindAt } from '../message/structure.ts';
import type { Language } from '../text/locale.ts';
import type { Sentence } from '../text/sentences.ts';
import { iso, type Day } from './calendar.ts';
import { customMentions } from './custom-parsers.ts';
import { findDateMentions, weekdayDisagrees, type DateMention, type Reference } from './find-dates.ts';
import { decideRole, type DateRole } from './roles.ts';

export interface TakenDate {
  date: string;
  time?: string;
  role: DateRole;
  text: string;
  start: number;
  end: number;
  form: DateMention['form'];
  signals: string[];
}

export interface IgnoredDate {
  date: string;
  text: string;
  reason: string;
  start: number;
  end: number;
}

export interface DateFindings {
  taken: TakenDate[];
  ignored: IgnoredDate[];
}

export interface DateInput {
  structure: MessageStructure;
  sentences: Sentence[];
  language: Language;
  ref: Reference;
  monthFirst: boolean;
  forward?: Forward;
}

function forwardReference(forward: Forward | undefined, ref: Reference): Reference | undefined {
  if (!forward?.date) return undefined;
  // The forward header's date in any of the clients' forms ("Mon, 9 Sept 2026 at 16:40",
  // "Montag, 9. September 2026 um 16:40", "9/9/2026"): our own day parsers first, then chrono's.
  const explicit = customMentions(forward.date, ref.day, { monthFirst: false }).find(
    (m) => m.kind === 'explicit' || m.kind === 'numeric',
  );
  const written = explicit?.days[0];
  // Noon of that day in UTC: chrono's "tomorrow" is then the next day whatever the offset.
  if (written)
    return {
      day: written,
      instant: new Date(Date.UTC(written.year, written.month - 1, written.day, 12)),
      offsetMinutes: 0,
    };
  const parsed =
    chrono.en.parse(forward.date.replace(/\bat\b/, ''), ref.instant)[0] ??
    chrono.de.parse(forward.date, ref.instant)[0];
  if (!parsed?.start.isCertain('day')) return undefined;
  const day: Day = {
    year: parsed.start.get('year')!,
    month: parsed.start.get('month')!,
    day: parsed.start.get('day')!,
  };
  return { day, instant: parsed.start.date(), offsetMinutes: ref.offsetMinutes };
}

export function collectDates(input: DateInput): DateFindings {
  const { structure, sentences } = input;
  const taken: TakenDate[] = [];
  const ignored: IgnoredDate[] = [];
  const forwardRef = forwardReference(input.forward, input.ref);
  const regions: { ref: Reference; kind: 'new' | 'forwarded' }[] = [{ ref: input.ref, kind: 'new' }];
  if (forwardRef) regions.push({ ref: forwardRef, kind: 'forwarded' });

  for (const region of regions) {
    const mentions = findDateMentions(structure.text, input.language, region.ref, input.monthFirst);
    for (const mention of mentions) {
      const kind = kindAt(structure, mention.start);
      const inRegion =
        region.kind === 'new' ? kind === 'new' || (kind === 'forwarded' && !forwardRef) : kind === 'forwarded';
      if (!inRegion) {
        if (region.kind === 'new' && kind && kind !== 'new' && kind !== 'forwarded')
          ignored.push({
            date: iso(mention.day),
            text: mention.text,
            reason: `in ${kind} text`,
            start: mention.start,
            end: mention.end,
          });
        continue;
      }
      const sentence = sentences.find((s) => mention.start >= s.start && mention.start < s.end);
      const text = sentence?.text ?? structure.text.slice(Math.max(0, mention.start - 80), mention.end + 80);
      const base = sentence?.start ?? Math.max(0, mention.start - 80);
      const siblings = mentions
        .filter(
          (m) => m !== mention && m.start >= base && m.end <= base + text.length && kindAt(structure, m.start) === kind,
        )
        .map((m) => ({ at: m.start - base, end: m.end - base }));
      siblings.push({ at: mention.start - base, end: mention.end - base });
      const decision = decideRole(
        { ...mention, disagrees: mention.disagrees || weekdayDisagrees(structure.text, mention) },
        { sentence: text, at: mention.start - base, ref: region.ref.day, siblings },
      );
      if (decision.discard) {
        ignored.push({
          date: iso(mention.day),
          text: mention.text,
          reason: decision.discard,
          start: mention.start,
          end: mention.end,
        });
        continue;
      }
      taken.push({
        date: iso(mention.day),
        ...(mention.time ? { time: mention.time } : {}),
        role: decision.role ?? 'date',
        text: mention.text,
        start: mention.start,
        end: mention.end,
        form: mention.form,
        signals: decision.signals,
      });
    }
  }
  // A day said to be replaced or cancelled anywhere in the message is not taken at all.
  const replaced = new Set(
    ignored.filter((d) => d.reason === 'superseded' || d.reason === 'cancelled').map((d) => d.date),
  );
  for (const day of replaced) {
    for (const dropped of taken.filter((d) => d.date === day))
      ignored.push({
        date: dropped.date,
        text: dropped.text,
        reason: 'superseded',
        start: dropped.start,
        end: dropped.end,
      });
  }
  // One entry per day: the first mention keeps its span.
  const seen = new Set<string>(replaced);
  const distinct = taken
    .sort((a, b) => a.start - b.start)
    .filter((d) => {
      if (seen.has(d.date)) return false;
      seen.add(d.date);
      return true;
    });
  return { taken: distinct, ignored };
}
