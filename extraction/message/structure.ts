// The parts of a message: what the sender wrote now, forwarded content (kept, attributed to its
// original sender), quoted history (context only), signature, disclaimer and form metadata.
// Forwards are found by `email-forward-parser`, quoted replies by `email-reply-parser` (both
// from Crisp, many clients and languages); signatures, disclaimers and form lines here.
import EmailForwardParser from 'email-forward-parser';
import EmailReplyParser from 'email-reply-parser';
import { quoteHeaderAt } from './quote-headers.ts';
import { disclaimerParagraph, formMetadataLine, signOffLine } from './cues.ts';

export type SegmentKind = 'new' | 'forwarded' | 'forward-header' | 'quoted' | 'signature' | 'disclaimer' | 'metadata';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

export interface Forward {
  from?: { name?: string; address?: string };
  date?: string;
  subject?: string;
}

export interface MessageStructure {
  text: string;
  segments: Segment[];
  forward?: Forward;
  /** Quoted history exists (a reply): context for "the 18th" in a reply, never new facts. */
  hasQuote: boolean;
}

/** Kinds whose text says what this message asks, proposes or states. */
export const contentKinds: ReadonlySet<SegmentKind> = new Set(['new', 'forwarded']);

const forwardParser = new EmailForwardParser();
const replyParser = new EmailReplyParser();

/** Finds `needle` (whitespace-insensitively at its ends) in text at or after `from`. */
function locate(text: string, needle: string, from: number): { start: number; end: number } | undefined {
  const trimmed = needle.trim();
  if (!trimmed) return undefined;
  const start = text.indexOf(trimmed, from);
  if (start >= 0) return { start, end: start + trimmed.length };
  // The parser may have normalised whitespace: anchor on the first and last lines.
  const lines = trimmed.split('\n').filter((line) => line.trim());
  const first = lines[0]?.trim();
  const last = lines.at(-1)?.trim();
  if (!first || !last) return undefined;
  const a = text.indexOf(first, from);
  if (a < 0) return undefined;
  const b = text.lastIndexOf(last);
  return b >= a ? { start: a, end: b + last.length } : undefined;
}

class KindMap {
  readonly kinds: SegmentKind[];
  constructor(length: number) {
    this.kinds = new Array<SegmentKind>(length).fill('new');
  }
  set(start: number, end: number, kind: SegmentKind): void {
    for (let i = Math.max(0, start); i < Math.min(end, this.kinds.length); i++) this.kinds[i] = kind;
  }
  /** Replaces only characters of the given kinds. */
  refine(start: number, end: number, kind: SegmentKind, within: ReadonlySet<SegmentKind>): void {
    for (let i = Math.max(0, start); i < Math.min(end, this.kinds.length); i++) {
      if (within.has(this.kinds[i]!)) this.kinds[i] = kind;
    }
  }
  segments(): Segment[] {
    const out: Segment[] = [];
    for (let i = 0; i < this.kinds.length; i++) {
      const kind = this.kinds[i]!;
      const last = out.at(-1);
      if (last && last.kind === kind) last.end = i + 1;
      else out.push({ kind, start: i, end: i + 1 });
    }
    return out;
  }
}

/** Regions of [start, end) that are content of the given kind (contiguous runs). */
function runs(map: KindMap, kind: SegmentKind): { start: number; end: number }[] {
  return map.segments().filter((segment) => segment.kind === kind);
}

/** Quoted history inside a region: the reply parser's quoted fragments, a quote header and all after it, `>` lines. */
function markQuotes(text: string, map: KindMap, region: { start: number; end: number }): boolean {
  const slice = text.slice(region.start, region.end);
  const lines = slice.split('\n');
  const quotedLine = lines.map((line) => /^\s*>/.test(line));
  // An inline reply answers between the quoted lines: only the ">" lines (and the header) are history.
  const firstQuoted = quotedLine.indexOf(true);
  const lastQuoted = quotedLine.lastIndexOf(true);
  const inline =
    firstQuoted >= 0 &&
    lines.slice(firstQuoted, lastQuoted).some((line, i) => !quotedLine[firstQuoted + i] && line.trim() !== '');
  let quoted = false;
  let offset = region.start;
  lines.forEach((line, i) => {
    if (quotedLine[i]) {
      map.set(offset, offset + line.length + 1, 'quoted');
      quoted = true;
    }
    offset += line.length + 1;
  });
  if (inline) {
    const header = quoteHeaderAt(slice);
    if (header !== undefined) {
      const end = slice.indexOf('\n', header);
      map.set(region.start + header, region.start + (end < 0 ? slice.length : end), 'quoted');
    }
    return true;
  }
  const header = quoteHeaderAt(slice);
  if (header !== undefined) {
    map.set(region.start + header, region.end, 'quoted');
    quoted = true;
  }
  let cursor = 0;
  for (const fragment of replyParser.read(slice).getFragments()) {
    const place = locate(slice, fragment.getContent(), cursor);
    if (!place) continue;
    cursor = place.end;
    if (fragment.isQuoted() || (fragment.isHidden() && !fragment.isSignature())) {
      map.set(region.start + place.start, region.end, 'quoted');
      quoted = true;
      break;
    }
  }
  return quoted;
}

/** From a sign-off ("Best,", "Mit freundlichen Grüßen", "-- ") near the end of a region to its end. */
function markSignature(text: string, map: KindMap, region: { start: number; end: number }, kind: SegmentKind): void {
  const lines = text.slice(region.start, region.end).split('\n');
  let offset = region.start;
  const starts = lines.map((line) => {
    const at = offset;
    offset += line.length + 1;
    return at;
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const remaining = lines.slice(i + 1).filter((l) => l.trim()).length;
    if (remaining > 14) continue;
    if (/^--\s*$|^—\s*$|^__+\s*$/.test(line) || signOffLine(line)) {
      map.refine(starts[i]!, region.end, 'signature', new Set([kind]));
      return;
    }
  }
}

function markDisclaimersAndMetadata(text: string, map: KindMap): void {
  let offset = 0;
  for (const paragraph of text.split(/\n\s*\n/)) {
    const start = text.indexOf(paragraph, offset);
    offset = start + paragraph.length;
    if (disclaimerParagraph(paragraph)) map.refine(start, offset, 'disclaimer', contentKinds);
  }
  let lineStart = 0;
  for (const line of text.split('\n')) {
    if (formMetadataLine(line)) map.refine(lineStart, lineStart + line.length, 'metadata', contentKinds);
    lineStart += line.length + 1;
  }
}

export function structureOf(text: string, subject: string): MessageStructure {
  const map = new KindMap(text.length);
  let forward: Forward | undefined;
  // A forward whose subject lost its prefix ("Tr:", "Doorst:", an edited subject) is still read
  // from the body; a reply's subject means a From/Sent block below is its quoted history.
  const bySubject = forwardParser.read(text, subject);
  const isReply = /^\s*(?:re|aw|sv|antw|r|rv|res|odp)\s*:/iu.test(subject);
  const parsed = bySubject.forwarded || isReply ? bySubject : forwardParser.read(text);
  if (parsed.forwarded && parsed.email.body) {
    const intro = parsed.message ? locate(text, parsed.message, 0) : undefined;
    const body = locate(text, parsed.email.body, intro?.end ?? 0);
    if (body) {
      map.set(intro?.end ?? 0, body.start, 'forward-header');
      map.set(body.start, text.length, 'forwarded');
      const from = parsed.email.from;
      forward = {
        ...(from.address || from.name
          ? { from: { ...(from.name ? { name: from.name } : {}), ...(from.address ? { address: from.address } : {}) } }
          : {}),
        ...(parsed.email.date ? { date: parsed.email.date } : {}),
        ...(parsed.email.subject ? { subject: parsed.email.subject } : {}),
      };
    }
  }
  let hasQuote = false;
  for (const kind of ['new', 'forwarded'] as const) {
    for (const region of runs(map, kind)) hasQuote = markQuotes(text, map, region) || hasQuote;
  }
  for (const kind of ['new', 'forwarded'] as const) {
    for (const region of runs(map, kind)) markSignature(text, map, region, kind);
  }
  markDisclaimersAndMetadata(text, map);
  return { text, segments: map.segments(), ...(forward ? { forward } : {}), hasQuote };
}

/** The content runs of a structure (new and forwarded text), in order. */
export function contentRuns(structure: MessageStructure): Segment[] {
  return structure.segments.filter((segment) => contentKinds.has(segment.kind));
}

export function kindAt(structure: MessageStructure, index: number): SegmentKind | undefined {
  return structure.segments.find((segment) => index >= segment.start && index < segment.end)?.kind;
}
