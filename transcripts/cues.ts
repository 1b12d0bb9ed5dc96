import type { Transcript, TranscriptFormat, TranscriptTurn } from '../schemas/transcript.ts';
import { TranscriptError } from './errors.ts';

/** One unit as a format writes it (a caption cue, a paragraph, a line), before turns are made. */
export interface Cue {
  speaker?: string;
  startMs?: number;
  endMs?: number;
  text: string;
  /** 1-based line where the cue starts, for error messages. */
  line: number;
}

/** What a format's reader returns; `toTranscript` turns it into the normalised shape. */
export interface ReadTranscript {
  cues: Cue[];
  title?: string;
  meetingAt?: string;
  /** Attendees the file lists, whether or not they spoke. */
  attendees?: string[];
}

/** Labels that say nobody is known: the turn's speaker stays undefined rather than invented. */
const unknownSpeaker = /^(?:unknown(?: speaker)?|unidentified(?: speaker)?|speaker|inconnu|unbekannt|\?+|-+)$/i;

export function speakerName(raw: string | undefined): string | undefined {
  const name = raw?.replace(/\s+/g, ' ').trim();
  if (!name || unknownSpeaker.test(name)) return undefined;
  return name;
}

/** Text of a cue: lines joined by spaces, runs of white space as one. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The normalised transcript: cues in time order (stable, so overlapping speakers keep the order
 * of their starts), consecutive cues of one named speaker merged into a turn, each turn a
 * paragraph `Speaker: words` of `text` with its span on the words.
 */
export function toTranscript(format: TranscriptFormat, read: ReadTranscript): Transcript {
  const cues = read.cues.filter((cue) => cue.text.trim() !== '');
  if (cues.length === 0) throw new TranscriptError(`no spoken text found in this ${format} transcript`);
  const timed = cues.every((cue) => cue.startMs !== undefined);
  const ordered = timed
    ? cues
        .map((cue, index) => ({ cue, index }))
        .sort((a, b) => a.cue.startMs! - b.cue.startMs! || a.index - b.index)
        .map(({ cue }) => cue)
    : cues;

  const merged: Omit<TranscriptTurn, 'id' | 'span'>[] = [];
  for (const cue of ordered) {
    const text = cleanText(cue.text);
    const last = merged.at(-1);
    if (last && cue.speaker !== undefined && last.speaker === cue.speaker) {
      last.text = `${last.text} ${text}`;
      if (cue.endMs !== undefined && (last.endMs === undefined || cue.endMs > last.endMs)) last.endMs = cue.endMs;
      continue;
    }
    merged.push({
      ...(cue.speaker === undefined ? {} : { speaker: cue.speaker }),
      ...(cue.startMs === undefined ? {} : { startMs: cue.startMs }),
      ...(cue.endMs === undefined ? {} : { endMs: cue.endMs }),
      text,
    });
  }

  let text = '';
  const turns: TranscriptTurn[] = merged.map((turn, index) => {
    if (index > 0) text += '\n\n';
    if (turn.speaker !== undefined) text += `${turn.speaker}: `;
    const start = text.length;
    text += turn.text;
    return { id: `t${index + 1}`, ...turn, span: { start, end: text.length } };
  });

  const participants: string[] = [];
  for (const name of [...merged.map((turn) => turn.speaker), ...(read.attendees ?? [])]) {
    if (name !== undefined && !participants.includes(name)) participants.push(name);
  }
  return {
    format,
    ...(read.title ? { title: read.title } : {}),
    ...(read.meetingAt ? { meetingAt: read.meetingAt } : {}),
    participants,
    turns,
    text,
  };
}

/** Lines of a text with their 1-based numbers, without a BOM and with CRLF read as LF. */
export function linesOf(input: string): { text: string; line: number }[] {
  return input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((text, index) => ({ text, line: index + 1 }));
}
