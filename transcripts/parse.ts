import type { Transcript, TranscriptFormat } from '../schemas/transcript.ts';
import { toTranscript, type ReadTranscript } from './cues.ts';
import { detectFormat } from './detect.ts';
import { TranscriptError } from './errors.ts';
import { readMeet } from './meet.ts';
import { readPasted } from './pasted.ts';
import { readSpeakerTime } from './speaker-time.ts';
import { readSrt } from './srt.ts';
import { readVtt } from './vtt.ts';
import { readZoom } from './zoom.ts';

const readers: Record<TranscriptFormat, (input: string) => ReadTranscript> = {
  webvtt: readVtt,
  teams: (input) => (/^\uFEFF?\s*WEBVTT/.test(input) ? readVtt(input) : readSpeakerTime(input)),
  srt: readSrt,
  zoom: readZoom,
  meet: readMeet,
  otter: readSpeakerTime,
  pasted: readPasted,
};

export interface ParseOptions {
  /** The format, when the caller knows it; else it is detected. */
  format?: TranscriptFormat;
  /** The file name or uri, a hint for detection (.vtt). */
  uri?: string;
}

/**
 * A transcript in any supported format as the normalised shape. Throws a TranscriptError naming
 * the line and what is wrong for input that cannot be read.
 */
export function parseTranscript(input: string, options: ParseOptions = {}): Transcript {
  let format = options.format;
  if (!format) {
    const detected = detectFormat(input, options.uri);
    if (!detected.format) {
      throw new TranscriptError(`this text does not look like a transcript (${detected.reason})`);
    }
    format = detected.format;
  }
  return toTranscript(format, readers[format](input));
}
