import type { Transcript, TranscriptTurn } from '../schemas/transcript.ts';
import { formatMs } from './time.ts';

// How memory records and answers point into a meeting: `at 00:14:32, Dana said "…"`, and a uri
// `<source uri>@<version>#t12` naming the turn in one version of the stored transcript.

export interface CitationOptions {
  /** Longest quote; longer words are cut at a word boundary with "…". Default 160. */
  maxChars?: number;
  /** Only this part of the turn's text (offsets into the transcript's `text`), e.g. an evidence span. */
  span?: { start: number; end: number };
  transcript?: Pick<Transcript, 'text'>;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** `at 00:14:32, Dana Whitfield said "…"`; without a time `in turn t3`, without a name `someone (unnamed) said`. */
export function formatCitation(turn: TranscriptTurn, options: CitationOptions = {}): string {
  const words =
    options.span && options.transcript
      ? options.transcript.text.slice(options.span.start, options.span.end)
      : turn.text;
  const when = turn.startMs === undefined ? `in turn ${turn.id}` : `at ${formatMs(turn.startMs)}`;
  const who = turn.speaker ?? 'an unnamed speaker';
  return `${when}, ${who} said "${shorten(words.trim(), options.maxChars ?? 160)}"`;
}

/** The turn's address in one stored version of the transcript: `<uri>@<version>#t12`. */
export function turnUri(source: { uri: string; version: string }, turn: Pick<TranscriptTurn, 'id'>): string {
  return `${source.uri}@${source.version}#${turn.id}`;
}

/** The turn whose words hold this offset of the transcript's text. */
export function turnAt(transcript: Pick<Transcript, 'turns'>, offset: number): TranscriptTurn | undefined {
  return transcript.turns.find(
    (turn) => offset >= turn.span.start && offset < Math.max(turn.span.end, turn.span.start + 1),
  );
}
