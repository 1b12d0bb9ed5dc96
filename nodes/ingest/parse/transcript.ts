import type { TranscriptFormat } from '../../../schemas/transcript.ts';
import { transcriptFormats } from '../../../schemas/transcript.ts';
import { dateInFileName } from '../../../transcripts/meeting-date.ts';
import { TranscriptError } from '../../../transcripts/errors.ts';
import { parseTranscript } from '../../../transcripts/parse.ts';
import { hashUri, shortHash, textIn } from './bytes.ts';
import { confidenceFor, type Guess } from './confidence.ts';
import { rejectInput } from './rejected.ts';
import type { Parsed, RawContent } from './types.ts';

// A meeting transcript (transcripts/) as a `meeting.transcript` event. The source is stored like a
// document's: its uri (the file name, or a hash) and version (the caller's, else a hash of the
// bytes), so a memory record can point at `<uri>@<version>#t12`. The meeting's date is the
// caller's, else the file's (its header), else its name's, else the ingest time: `meetingAtFrom`
// says which, and the last lowers the event's confidence.

/** Media types that name a format outright. */
const formatByType: Record<string, TranscriptFormat> = {
  'text/vtt': 'webvtt',
  'application/x-subrip': 'srt',
  'text/srt': 'srt',
  'application/srt': 'srt',
};

export type MeetingAtFrom = 'provided' | 'file' | 'file name' | 'ingest';

export function parseTranscriptInput(raw: RawContent): Parsed {
  const decoded = textIn(raw.bytes, raw.charset);
  if (decoded === undefined) {
    return rejectInput('transcript', raw, 'not text', [
      { pointer: '/content', message: `is not ${raw.charset ?? 'UTF-8'} text; a transcript is a text file` },
    ]);
  }
  if (raw.meetingAt !== undefined && Number.isNaN(Date.parse(raw.meetingAt))) {
    return rejectInput('transcript', raw, 'bad meeting date', [
      { pointer: '/meetingAt', message: `'${raw.meetingAt}' is not a date-time` },
    ]);
  }
  const typed = raw.mediaType ? formatByType[raw.mediaType] : undefined;
  const format = typed && transcriptFormats.includes(typed) ? typed : undefined;
  let transcript;
  try {
    // WebVTT from Teams is still read by the VTT reader: the type only says "VTT", detection says whose.
    transcript = parseTranscript(decoded, {
      ...(format && format !== 'webvtt' ? { format } : {}),
      ...(raw.uri ? { uri: raw.uri } : {}),
    });
  } catch (error) {
    if (!(error instanceof TranscriptError)) throw error;
    return rejectInput('transcript', raw, 'unreadable transcript', [{ pointer: '/content', message: error.message }]);
  }

  const guesses: Guess[] = [];
  const fromName = raw.uri ? dateInFileName(raw.uri) : undefined;
  let meetingAt: string;
  let meetingAtFrom: MeetingAtFrom;
  if (raw.meetingAt) [meetingAt, meetingAtFrom] = [new Date(raw.meetingAt).toISOString(), 'provided'];
  else if (transcript.meetingAt) [meetingAt, meetingAtFrom] = [transcript.meetingAt, 'file'];
  else if (fromName) [meetingAt, meetingAtFrom] = [fromName, 'file name'];
  else {
    [meetingAt, meetingAtFrom] = [raw.receivedAt, 'ingest'];
    guesses.push('meetingAtFromReceipt');
  }

  const uri = raw.uri ?? hashUri(raw.bytes);
  const version = raw.version ?? shortHash(raw.bytes);
  const last = transcript.turns.at(-1);
  return {
    identity: `${uri}@${version}`,
    draft: {
      type: 'meeting.transcript',
      actor: { kind: 'system', name: raw.sourceName ?? 'transcript' },
      source: { kind: 'transcript', uri, version },
      occurredAt: meetingAt,
      confidence: confidenceFor(guesses),
      payload: {
        ...transcript,
        meetingAt,
        meetingAtFrom,
      },
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        ...(raw.mediaType ? { contentType: raw.mediaType } : {}),
        size: raw.bytes.length,
        turns: transcript.turns.length,
        ...(last?.endMs !== undefined || last?.startMs !== undefined ? { durationMs: last.endMs ?? last.startMs } : {}),
        guessed: guesses,
      },
    },
  };
}
