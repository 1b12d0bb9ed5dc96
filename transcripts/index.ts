export { parseTranscript, type ParseOptions } from './parse.ts';
export { detectFormat, CONFIDENT, type Detection } from './detect.ts';
export { TranscriptError } from './errors.ts';
export { formatCitation, turnAt, turnUri, type CitationOptions } from './cite.ts';
export { dateInFileName, dateInText } from './meeting-date.ts';
export { formatMs } from './time.ts';
export { extractMeeting, MEETING_EXTRACTOR_VERSION, type MeetingAction, type MeetingExtraction } from './extract.ts';
