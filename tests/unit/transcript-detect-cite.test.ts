import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transcriptKind } from '../../bin/commands/ingest.ts';
import { formatCitation, turnAt, turnUri } from '../../transcripts/cite.ts';
import { CONFIDENT, detectFormat } from '../../transcripts/detect.ts';
import { dateInFileName, dateInText } from '../../transcripts/meeting-date.ts';
import { parseTranscript } from '../../transcripts/parse.ts';
import { transcriptFixture, transcriptsDir } from '../support/transcripts.ts';

const expected: Record<string, string> = {
  '2026-11-24-kickoff.vtt': 'webvtt',
  'bad-time.vtt': 'webvtt',
  'teams-standup.vtt': 'teams',
  'interview.srt': 'srt',
  'captions-no-names.srt': 'srt',
  'zoom-bracketed.txt': 'zoom',
  'zoom-inline.txt': 'zoom',
  'meet-review.txt': 'meet',
  'meet-fr.txt': 'meet',
  'teams-docx.txt': 'teams',
  'otter-call.txt': 'otter',
  'pasted-notes.txt': 'pasted',
  'pasted-de.txt': 'pasted',
};

describe('transcript format detection', () => {
  it('recognises every fixture confidently', () => {
    const files = readdirSync(transcriptsDir).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const file of files) {
      const detection = detectFormat(transcriptFixture(file), file);
      expect({ file, format: detection.format }).toEqual({ file, format: expected[file] });
      expect(detection.confidence).toBeGreaterThanOrEqual(CONFIDENT);
    }
  });

  it('leaves ordinary text, an email-like note and a single `Name:` line alone', () => {
    const notes = 'Project notes\n\nThe client wants a new homepage.\nBudget is about 4k.\nNext call in two weeks.\n';
    const email = 'From: Jane\nTo: Dana\nSubject: Quote\nDate: Monday\n\nHi Dana, could you send the quote?\n';
    const oneLine = 'Dana: please review the attached draft and send comments.\nThanks!\n';
    for (const text of [notes, email, oneLine]) {
      const detection = detectFormat(text);
      expect(detection.format).toBeUndefined();
      expect(detection.confidence).toBeLessThan(CONFIDENT);
    }
    expect(detectFormat(notes).reason).toBe('no timings and no speaker names');
    expect(() => parseTranscript(notes)).toThrow(
      'this text does not look like a transcript (no timings and no speaker names)',
    );
  });

  it('lets the CLI take .vtt/.srt as transcripts, a .txt only when the detector is sure, and --kind over both', () => {
    const bytes = (name: string) => Buffer.from(transcriptFixture(name));
    expect(transcriptKind('a/kickoff.vtt', bytes('2026-11-24-kickoff.vtt'), undefined)).toBe('transcript');
    expect(transcriptKind('a/interview.srt', bytes('interview.srt'), undefined)).toBe('transcript');
    expect(transcriptKind('a/call.txt', bytes('otter-call.txt'), undefined)).toBe('transcript');
    expect(transcriptKind('a/notes.txt', Buffer.from('Just some notes.\nNothing else.\n'), undefined)).toBeUndefined();
    expect(transcriptKind('a/mail.eml', Buffer.from('From: x\n\nhi'), undefined)).toBeUndefined();
    expect(transcriptKind('a/call.txt', bytes('otter-call.txt'), 'document')).toBe('document');
  });
});

describe('meeting dates', () => {
  it('reads dates in headers and file names', () => {
    expect(dateInText('Larkspur review (2026-11-26 15:00 GMT+01:00) - Transcript')).toBe('2026-11-26T14:00:00.000Z');
    expect(dateInText('Tue, Dec 1, 2026 9:30AM • 18:42')).toBe('2026-12-01T09:30:00.000Z');
    expect(dateInText('November 30, 2026, 10:00AM')).toBe('2026-11-30T10:00:00.000Z');
    expect(dateInText('2. Dezember 2026 um 14:30')).toBe('2026-12-02T14:30:00.000Z');
    expect(dateInText('Agenda')).toBeUndefined();
    expect(dateInFileName('/x/GMT20261124-140012_Recording.transcript.vtt')).toBe('2026-11-24T14:00:12.000Z');
    expect(dateInFileName('2026-11-24-kickoff.vtt')).toBe('2026-11-24T00:00:00.000Z');
    expect(dateInFileName('call 20261203.srt')).toBe('2026-12-03T00:00:00.000Z');
    expect(dateInFileName('kickoff.vtt')).toBeUndefined();
    expect(dateInFileName('2026-02-31 kickoff.vtt')).toBeUndefined();
  });
});

describe('citations', () => {
  const transcript = parseTranscript(transcriptFixture('meet-review.txt'));

  it('says when and who, quoting the words', () => {
    expect(formatCitation(transcript.turns[2]!)).toBe(
      'at 00:14:32, Priya Natarajan said "Dana, can you share the mobile layouts before Monday?"',
    );
    expect(formatCitation(transcript.turns[1]!, { maxChars: 40 })).toBe(
      'at 00:00:00, Dana Whitfield said "I reworked the hero section after last…"',
    );
  });

  it('quotes an evidence span, names the turn when there is no time, and never invents a speaker', () => {
    const pasted = parseTranscript('Ana: We need it by Friday. Thanks.\nBen: Fine.\n', { format: 'pasted' });
    const turn = pasted.turns[0]!;
    const start = pasted.text.indexOf('We need');
    expect(
      formatCitation(turn, { transcript: pasted, span: { start, end: start + 'We need it by Friday.'.length } }),
    ).toBe('in turn t1, Ana said "We need it by Friday."');
    const unnamed = parseTranscript(transcriptFixture('captions-no-names.srt'));
    expect(formatCitation(unnamed.turns[2]!)).toBe('at 00:00:09, an unnamed speaker said "Questions go in the chat."');
    expect(turnAt(pasted, start)?.id).toBe('t1');
    expect(turnUri({ uri: 'urn:sha256:ab', version: '0123' }, turn)).toBe('urn:sha256:ab@0123#t1');
  });
});
