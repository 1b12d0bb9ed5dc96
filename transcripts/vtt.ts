import { cleanText, linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { TranscriptError } from './errors.ts';
import { splitSpeaker } from './speaker-prefix.ts';
import { timeMs } from './time.ts';

// WebVTT (W3C): a `WEBVTT` header, then blocks separated by blank lines. NOTE, STYLE and REGION
// blocks are skipped; a cue is an optional identifier, a timing line `start --> end [settings]`
// and its text lines. The speaker comes from a voice tag `<v Dana>` (or `<v.loud Dana>`), else
// from a `Dana: ` prefix; a cue with two voices becomes two cues. Microsoft Teams writes this
// format too, with `<v Name>` on every cue.

const timing = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/;
const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&nbsp;': ' ',
  '&lrm;': '',
  '&rlm;': '',
  '&quot;': '"',
  '&apos;': "'",
  '&#39;': "'",
};

function decode(text: string): string {
  return text.replace(/&(?:amp|lt|gt|nbsp|lrm|rlm|quot|apos|#39);/g, (entity) => entities[entity] ?? entity);
}

/** Text lines of one cue as voices: `<v Dana>Hi</v> <v Marco>Hello</v>` → two pieces. */
function voices(payload: string): { speaker?: string; text: string }[] {
  const pieces: { speaker?: string; text: string }[] = [];
  const voice = /<v(?:\.[\w.-]+)?(?:[ \t]+([^>]*))?>/g;
  let current: { speaker?: string; text: string } = { text: '' };
  let at = 0;
  for (const match of payload.matchAll(voice)) {
    current.text += payload.slice(at, match.index);
    if (current.text.trim() || current.speaker !== undefined) pieces.push(current);
    const speaker = speakerName(decode(match[1] ?? ''));
    current = { ...(speaker === undefined ? {} : { speaker }), text: '' };
    at = match.index + match[0].length;
  }
  current.text += payload.slice(at);
  pieces.push(current);
  return pieces
    .map((piece) => ({ ...piece, text: cleanText(decode(piece.text.replace(/<[^>]*>/g, ''))) }))
    .filter((piece) => piece.text !== '');
}

export function readVtt(input: string): ReadTranscript {
  const lines = linesOf(input);
  const first = lines.find((line) => line.text.trim() !== '');
  if (!first || !/^WEBVTT(?:[ \t].*)?$/.test(first.text.trim())) {
    throw new TranscriptError("a WebVTT file starts with 'WEBVTT'", first?.line ?? 1);
  }
  const cues: Cue[] = [];
  let index = lines.indexOf(first) + 1;
  // Header lines (Kind:, Language:) run to the first blank line.
  while (index < lines.length && lines[index]!.text.trim() !== '') index++;
  while (index < lines.length) {
    while (index < lines.length && lines[index]!.text.trim() === '') index++;
    if (index >= lines.length) break;
    const block: { text: string; line: number }[] = [];
    while (index < lines.length && lines[index]!.text.trim() !== '') block.push(lines[index++]!);
    const head = block[0]!.text.trim();
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) continue;
    const timingAt = block.findIndex((line) => line.text.includes('-->'));
    if (timingAt < 0 || timingAt > 1) {
      throw new TranscriptError(`expected a cue timing 'start --> end', found '${head.slice(0, 60)}'`, block[0]!.line);
    }
    const timingLine = block[timingAt]!;
    const parts = timing.exec(timingLine.text.trim());
    if (!parts)
      throw new TranscriptError(`'${timingLine.text.trim()}' is not a cue timing 'start --> end'`, timingLine.line);
    const startMs = timeMs(parts[1]!, timingLine.line, 'cue start');
    const endMs = timeMs(parts[2]!, timingLine.line, 'cue end');
    if (endMs < startMs) {
      throw new TranscriptError(`cue end '${parts[2]}' is before its start '${parts[1]}'`, timingLine.line);
    }
    const payload = block.slice(timingAt + 1).map((line) => line.text);
    if (payload.some((line) => line.includes('-->'))) {
      throw new TranscriptError('a cue timing inside a cue: is a blank line missing?', timingLine.line + 1);
    }
    for (const piece of voices(payload.join('\n'))) {
      let { speaker, text } = piece;
      if (speaker === undefined) {
        const prefixed = splitSpeaker(text);
        if (prefixed) {
          speaker = speakerName(prefixed.speaker);
          text = prefixed.text;
        }
      }
      cues.push({ ...(speaker === undefined ? {} : { speaker }), startMs, endMs, text, line: timingLine.line });
    }
  }
  return { cues };
}
