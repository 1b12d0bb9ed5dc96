import { linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { dateInText } from './meeting-date.ts';
import { timeMs } from './time.ts';

// The layout Otter and Microsoft Teams (the .docx transcript saved as text) share: a line with
// the speaker and the offset, `Dana Whitfield  0:03` (or `1:02:03`), then the paragraph said.
// Before the first such line: the title and the date (`Tue, Nov 24, 2026 2:00PM • 45:12`,
// `November 24, 2026, 2:00PM`); lines like `Dana started transcription` and Otter's
// `Transcribed by https://otter.ai` are not speech.

export const speakerTimeLine =
  /^(?:(?<name>[^\s•][^•]{0,79}?)(?:[ \t]{2,}|\t|[ \t]+(?=\d{1,2}:\d{2}(?::\d{2})?[ \t]*$)))?(?<time>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*$/;
const notSpeech = /(?:started|stopped) transcription$|^transcribed by\b|otter\.ai|^-\s*end of transcript/i;

export function readSpeakerTime(input: string): ReadTranscript {
  const lines = linesOf(input);
  const cues: Cue[] = [];
  const first = lines.findIndex((line) => speakerTimeLine.test(line.text.trim()));
  let title: string | undefined;
  let meetingAt: string | undefined;
  const header = first < 0 ? [] : lines.slice(0, first);
  const attendees: string[] = [];
  for (const [i, { text: raw }] of header.entries()) {
    const text = raw.trim();
    if (!text || notSpeech.test(text)) continue;
    // Otter: `SPEAKERS` then the names, comma-separated; `SUMMARY KEYWORDS` then words.
    if (/^speakers$/i.test(text)) {
      for (const name of (header[i + 1]?.text ?? '').split(/\s*,\s*/)) {
        const clean = speakerName(name);
        if (clean && !attendees.includes(clean)) attendees.push(clean);
      }
    }
    if (
      /^(?:summary keywords|speakers)$/i.test(text) ||
      /^(?:summary keywords|speakers)$/i.test(header[i - 1]?.text.trim() ?? '')
    )
      continue;
    const date = dateInText(text);
    if (date) meetingAt ??= date;
    else if (title === undefined && !/^\d+\s*m(?:in)?\s+\d+\s*s$/i.test(text)) title = text;
  }
  let current: Cue | undefined;
  for (const { text: raw, line } of lines.slice(Math.max(first, 0))) {
    const text = raw.trim();
    if (!text || notSpeech.test(text)) continue;
    const match = speakerTimeLine.exec(text);
    if (match?.groups) {
      const speaker = speakerName(match.groups.name);
      current = {
        ...(speaker === undefined ? {} : { speaker }),
        startMs: timeMs(match.groups.time!, line),
        text: '',
        line,
      };
      cues.push(current);
    } else if (current) {
      current.text += current.text ? `\n${text}` : text;
    } else {
      cues.push((current = { text, line }));
    }
  }
  return { cues, ...(title ? { title } : {}), ...(meetingAt ? { meetingAt } : {}), attendees };
}
