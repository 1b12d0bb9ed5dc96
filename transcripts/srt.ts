import { linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { TranscriptError } from './errors.ts';
import { splitSpeaker } from './speaker-prefix.ts';
import { timeMs } from './time.ts';

// SubRip: blocks of a counter line, `00:00:01,000 --> 00:00:04,000` and text lines, separated by
// blank lines. The speaker is a `Dana: ` prefix on the first text line, when there is one;
// formatting tags (<i>, <b>, <font …>) are dropped.

const timing = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/;

export function readSrt(input: string): ReadTranscript {
  const lines = linesOf(input);
  const cues: Cue[] = [];
  let index = 0;
  while (index < lines.length) {
    while (index < lines.length && lines[index]!.text.trim() === '') index++;
    if (index >= lines.length) break;
    const block: { text: string; line: number }[] = [];
    while (index < lines.length && lines[index]!.text.trim() !== '') block.push(lines[index++]!);
    const timingAt = block.findIndex((line) => line.text.includes('-->'));
    if (timingAt < 0 || timingAt > 1) {
      throw new TranscriptError(
        `expected a counter and a timing 'start --> end', found '${block[0]!.text.trim().slice(0, 60)}'`,
        block[0]!.line,
      );
    }
    if (timingAt === 1 && !/^\d+$/.test(block[0]!.text.trim())) {
      throw new TranscriptError(`'${block[0]!.text.trim().slice(0, 60)}' is not a cue number`, block[0]!.line);
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
    const payload = block
      .slice(timingAt + 1)
      .map((line) => line.text.replace(/<\/?[a-z][^>]*>/gi, '').replace(/\{\\[^}]*\}/g, ''));
    // A second `Name:` line in one cue is a second speaker (dialogue cues).
    let current: Cue | undefined;
    for (const text of payload) {
      const prefixed = splitSpeaker(text);
      if (prefixed || !current) {
        const speaker = prefixed ? speakerName(prefixed.speaker) : undefined;
        current = {
          ...(speaker === undefined ? {} : { speaker }),
          startMs,
          endMs,
          text: prefixed ? prefixed.text : text,
          line: timingLine.line,
        };
        cues.push(current);
      } else {
        current.text += `\n${text}`;
      }
    }
  }
  return { cues };
}
