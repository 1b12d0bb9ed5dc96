import { linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { dateInText } from './meeting-date.ts';
import { splitSpeaker } from './speaker-prefix.ts';
import { timeMs } from './time.ts';

// Google Meet's transcript (the Google Doc saved as text): a header with the meeting's title and
// date (`Website kickoff (2026-11-24 14:00 GMT+1) - Transcript`) and its attendees, then a
// timestamp line (`00:14:32`) every few minutes and, between them, paragraphs that open with the
// speaker: either `Dana Whitfield: words` or the name on a line of its own with the words below.

export const timestampLine = /^\d{1,2}:\d{2}:\d{2}$/;
const nameLine = /^[\p{Lu}\p{Lt}][\p{L}\p{M}'’.-]*(?:[ \t]+[\p{L}\p{M}'’.-]+){0,4}$/u;
const closing = /^(?:meeting ended after|this editable transcript|transcription ended|transcript ended)/i;

export function readMeet(input: string): ReadTranscript {
  const lines = linesOf(input);
  const cues: Cue[] = [];
  const attendees: string[] = [];
  let title: string | undefined;
  let meetingAt: string | undefined;
  let index = 0;

  // The header: everything before the first timestamp line.
  const firstTime = lines.findIndex((line) => timestampLine.test(line.text.trim()));
  if (firstTime > 0) {
    for (let i = 0; i < firstTime; i++) {
      const text = lines[i]!.text.trim();
      if (!text || /^transcript$/i.test(text)) continue;
      const attendeeList = /^(?:attendees|participants|teilnehmer|participants?)\s*:?\s*(.*)$/i.exec(text);
      if (attendeeList) {
        const rest = attendeeList[1] || lines[i + 1]?.text.trim() || '';
        if (!attendeeList[1]) i++;
        for (const name of rest.split(/\s*,\s*/)) {
          const clean = speakerName(name);
          if (clean && !attendees.includes(clean)) attendees.push(clean);
        }
        continue;
      }
      meetingAt ??= dateInText(text);
      if (title === undefined)
        title = text
          .replace(/\s*\([^)]*\)\s*/g, ' ')
          .replace(/\s*-\s*transcript\s*$/i, '')
          .trim();
    }
    index = firstTime;
  }

  let startMs: number | undefined;
  let current: Cue | undefined;
  let blockStart = true;
  for (; index < lines.length; index++) {
    const { text: raw, line } = lines[index]!;
    const text = raw.trim();
    if (!text) {
      blockStart = true;
      continue;
    }
    if (timestampLine.test(text)) {
      startMs = timeMs(text, line);
      current = undefined;
      blockStart = true;
      continue;
    }
    if (closing.test(text)) continue;
    const prefixed = splitSpeaker(text);
    const next = lines[index + 1]?.text.trim() ?? '';
    if (prefixed) {
      const speaker = speakerName(prefixed.speaker);
      current = {
        ...(speaker === undefined ? {} : { speaker }),
        ...(startMs === undefined ? {} : { startMs }),
        text: prefixed.text,
        line,
      };
      cues.push(current);
    } else if (blockStart && nameLine.test(text) && next && !timestampLine.test(next) && !splitSpeaker(next)) {
      const speaker = speakerName(text);
      current = {
        ...(speaker === undefined ? {} : { speaker }),
        ...(startMs === undefined ? {} : { startMs }),
        text: '',
        line,
      };
      cues.push(current);
    } else if (current && !blockStart) {
      current.text += `\n${text}`;
    } else if (current && current.text === '') {
      current.text = text;
    } else {
      current = { ...(startMs === undefined ? {} : { startMs }), text, line };
      cues.push(current);
    }
    blockStart = false;
  }
  // A timestamp marks the paragraphs after it; they keep it as their start (Meet gives no more).
  return { cues, ...(title ? { title } : {}), ...(meetingAt ? { meetingAt } : {}), attendees };
}
