import { linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { splitSpeaker } from './speaker-prefix.ts';
import { looksLikeTime, timeMs } from './time.ts';

// Zoom's plain-text transcripts, two layouts:
//   `[Dana Whitfield] 00:14:32` on a line, the words on the lines below;
//   `00:14:32 Dana Whitfield: words` (or `[00:14:32] Dana…`) one line per utterance (a line without a
//   name is nobody's).
// Lines that match neither continue the utterance above. Times are read as offsets into the
// recording (hours, minutes, seconds).

export const bracketHeader = /^\[([^\]\n]{1,80})\][ \t]+(\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?)[ \t]*$/;
export const timeFirst = /^\[?(\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?)\]?[ \t]+(.*)$/;

export function readZoom(input: string): ReadTranscript {
  const cues: Cue[] = [];
  let current: Cue | undefined;
  for (const { text: raw, line } of linesOf(input)) {
    const text = raw.trim();
    if (!text) continue;
    const header = bracketHeader.exec(text);
    if (header) {
      const speaker = speakerName(header[1]);
      current = { ...(speaker === undefined ? {} : { speaker }), startMs: timeMs(header[2]!, line), text: '', line };
      cues.push(current);
      continue;
    }
    const timed = timeFirst.exec(text);
    if (timed && looksLikeTime(timed[1]!)) {
      const prefixed = splitSpeaker(timed[2]!);
      const speaker = prefixed ? speakerName(prefixed.speaker) : undefined;
      current = {
        ...(speaker === undefined ? {} : { speaker }),
        startMs: timeMs(timed[1]!, line),
        text: prefixed ? prefixed.text : timed[2]!,
        line,
      };
      cues.push(current);
      continue;
    }
    if (current) current.text += `\n${text}`;
    else cues.push((current = { text, line }));
  }
  // Each utterance ends where the next begins (Zoom writes no end times).
  return { cues };
}
