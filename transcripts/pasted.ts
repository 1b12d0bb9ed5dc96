import { linesOf, speakerName, type Cue, type ReadTranscript } from './cues.ts';
import { splitSpeaker } from './speaker-prefix.ts';

// A transcript pasted from anywhere: `Name: words` lines, no times. A line without a prefix
// continues the speaker above it; lines before the first name belong to nobody.

export function readPasted(input: string): ReadTranscript {
  const cues: Cue[] = [];
  let current: Cue | undefined;
  for (const { text: raw, line } of linesOf(input)) {
    const text = raw.trim();
    if (!text) continue;
    const prefixed = splitSpeaker(text);
    if (prefixed) {
      const speaker = speakerName(prefixed.speaker);
      current = { ...(speaker === undefined ? {} : { speaker }), text: prefixed.text, line };
      cues.push(current);
    } else if (current) {
      current.text += `\n${text}`;
    } else {
      cues.push((current = { text, line }));
    }
  }
  return { cues };
}
