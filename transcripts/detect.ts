import type { TranscriptFormat } from '../schemas/transcript.ts';
import { linesOf } from './cues.ts';
import { timestampLine } from './meet.ts';
import { splitSpeaker } from './speaker-prefix.ts';
import { speakerTimeLine } from './speaker-time.ts';
import { bracketHeader, timeFirst } from './zoom.ts';

// Which format a text is in, and how sure that is. The strong signs (a WEBVTT header, SRT's
// counter and `-->`) decide outright; the plain-text exports are recognised by how many of their
// lines have the format's shape. Callers treat `confident` (≥ 0.8) as "read it as a transcript";
// below it a .txt file stays a document.

export interface Detection {
  format?: TranscriptFormat;
  confidence: number;
  /** Why, in a few words: shown when a file is not taken as a transcript. */
  reason: string;
}

export const CONFIDENT = 0.8;

const teamsCueId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/\d+-\d+$/im;
const srtStart = /^\d+[ \t]*\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]+-->[ \t]+\d/;
const srtTiming = /^[ \t]*\d{1,2}:\d{2}:\d{2},\d{1,3}[ \t]+-->[ \t]+\d/m;
/** Words before a colon that open lines of documents and emails, not a speaker's name. */
const fieldNames =
  /^(?:subject|from|to|cc|bcc|date|re|fwd?|note|notes|agenda|action|actions|action items?|todo|title|attendees|participants|summary|decision|decisions|next steps|location|time|when|where|total|budget|price|address|phone|email|website|url|status|owner|deadline|betreff|von|an|datum|objet|de|à)$/i;

export function detectFormat(input: string, uri?: string): Detection {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const trimmed = text.trimStart();
  if (/^WEBVTT(?:[ \t\n]|$)/.test(trimmed)) {
    const teams = teamsCueId.test(text) && /<v[ \t]/.test(text);
    return { format: teams ? 'teams' : 'webvtt', confidence: 1, reason: 'WEBVTT header' };
  }
  if (srtStart.test(trimmed)) return { format: 'srt', confidence: 0.98, reason: 'SRT counter and timing' };
  if (srtTiming.test(text)) return { format: 'srt', confidence: 0.9, reason: 'SRT timing lines' };
  if (uri && /\.vtt$/i.test(uri)) return { confidence: 0.3, reason: "a .vtt file without the 'WEBVTT' header" };

  const lines = linesOf(text)
    .map((line) => line.text.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return { confidence: 0, reason: 'empty' };
  const count = (test: (line: string) => boolean) => lines.filter(test).length;

  const zoomHeaders = count((line) => bracketHeader.test(line));
  const zoomLines = count((line) => {
    const match = timeFirst.exec(line);
    return match !== null && !timestampLine.test(line) && splitSpeaker(match[2]!) !== undefined;
  });
  const zoom = Math.max(zoomHeaders, zoomLines);
  if (zoom >= 2) return { format: 'zoom', confidence: 0.9, reason: `${zoom} Zoom speaker lines` };

  const speakerTimes = count((line) => {
    const match = speakerTimeLine.exec(line);
    return match?.groups?.name !== undefined;
  });
  if (speakerTimes >= 2) {
    const otter = /otter\.ai|\bUnknown Speaker\b|^Speaker \d+[ \t]+\d/im.test(text) || /•\s*\d/.test(text);
    const teams = /(?:started|stopped) transcription/i.test(text) || /^\d+\s*m\s+\d+\s*s$/im.test(text);
    const format = teams && !otter ? 'teams' : 'otter';
    return { format, confidence: 0.9, reason: `${speakerTimes} 'Speaker  0:03' lines` };
  }

  const stamps = count((line) => timestampLine.test(line));
  const prefixed = lines.map((line) => splitSpeaker(line)?.speaker).filter((name) => name !== undefined);
  const speakers = prefixed.filter((name) => !fieldNames.test(name));
  if (stamps >= 1 && (/-\s*transcript\s*$/im.test(text) || speakers.length >= 2)) {
    return { format: 'meet', confidence: /-\s*transcript\s*$/im.test(text) ? 0.95 : 0.85, reason: 'timestamp lines' };
  }

  const distinct = new Set(speakers);
  const repeats = speakers.length > distinct.size;
  const share = speakers.length / lines.length;
  if (speakers.length >= 3 && distinct.size >= 2 && repeats && share >= 0.4) {
    const confidence = Math.min(0.95, Math.round((0.55 + share * 0.4) * 100) / 100);
    return { format: 'pasted', confidence, reason: `${speakers.length} of ${lines.length} lines open with a name` };
  }
  return {
    confidence: speakers.length > 0 ? 0.3 : 0,
    reason:
      speakers.length > 0
        ? `${speakers.length} of ${lines.length} lines open with a name; a pasted transcript needs 3 or more, from 2 speakers, one speaking twice`
        : 'no timings and no speaker names',
  };
}
