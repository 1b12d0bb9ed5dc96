import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../transcripts/parse.ts';
import { TranscriptError } from '../../transcripts/errors.ts';
import { expectWellFormed, transcriptFixture, turnsOf } from '../support/transcripts.ts';

describe('WebVTT transcripts', () => {
  it('reads voice tags and `Name:` cues, skips NOTE and STYLE blocks, joins multi-line cues and merges one speaker’s cues', () => {
    const transcript = parseTranscript(transcriptFixture('2026-11-24-kickoff.vtt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('webvtt');
    expect(transcript.participants).toEqual(['Dana Whitfield', 'Marco Rossi', 'Priya Natarajan']);
    expect(turnsOf(transcript)).toEqual([
      "Dana Whitfield@1200: Thanks for joining, everyone. This is the kickoff for the Larkspur website relaunch. I'd like to agree the scope today.",
      "Marco Rossi@10100: Sounds good. We have a budget of €12,500 for the first phase, that's fixed.",
      // Overlapping: Priya starts before Marco's cue ends; kept in the order of their starts.
      'Priya Natarajan@15200: Sorry, can I jump in?',
      'Marco Rossi@17100: Sure, go ahead.',
      'Priya Natarajan@24500: Dana, could you send us the sitemap draft by Friday?',
      "Dana Whitfield@31500: Yes, I'll send the sitemap by Friday & the moodboard next week.",
      // No voice, no prefix: nobody is invented.
      '?@36500: Marco will book the photographer for December 3rd.',
      'Marco Rossi@40500: I will book the photographer for the 3rd of December.',
    ]);
    expect(transcript.turns[0]).toMatchObject({ startMs: 1200, endMs: 9500 });
    expect(transcript.text).not.toContain('Recorded in the Trellis test studio');
    expect(transcript.text).not.toContain('::cue');
  });

  it('reads a Teams VTT (cue ids, <v> on every cue) as format teams', () => {
    const transcript = parseTranscript(transcriptFixture('teams-standup.vtt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('teams');
    expect(turnsOf(transcript)).toEqual([
      'Dana Whitfield@2150: Morning. Quick one today.',
      "Sam O'Connor@5900: Invoice 2041 is still open, it's 3,400 dollars. Can you chase them tomorrow?",
      'Dana Whitfield@14500: Will do.',
    ]);
  });

  it('splits a cue with two voices into two turns', () => {
    const transcript = parseTranscript('WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ana>Ready?</v>\n<v Ben>Yes.</v>\n');
    expect(turnsOf(transcript)).toEqual(['Ana@1000: Ready?', 'Ben@1000: Yes.']);
  });

  it('names the line and the value that is not a time', () => {
    expect(() => parseTranscript(transcriptFixture('bad-time.vtt'))).toThrow(
      new TranscriptError("cue end '00:61:00.000' is not a time", 6),
    );
    expect(() => parseTranscript(transcriptFixture('bad-time.vtt'))).toThrow(
      "line 6: cue end '00:61:00.000' is not a time",
    );
  });

  it('refuses a cue that ends before it starts, a missing header and a cue without timing', () => {
    expect(() => parseTranscript('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nHi\n')).toThrow(
      "line 3: cue end '00:00:01.000' is before its start '00:00:05.000'",
    );
    expect(() => parseTranscript('00:00:01.000 --> 00:00:02.000\nHi\n', { format: 'webvtt' })).toThrow(
      "line 1: a WebVTT file starts with 'WEBVTT'",
    );
    expect(() => parseTranscript('WEBVTT\n\nHello there\nGeneral Kenobi\n')).toThrow(
      "line 3: expected a cue timing 'start --> end', found 'Hello there'",
    );
    expect(() => parseTranscript('WEBVTT\n\nNOTE only a note\n')).toThrow(
      'no spoken text found in this webvtt transcript',
    );
  });
});

describe('SRT transcripts', () => {
  it('reads `Name:` prefixes and joins the lines of a cue', () => {
    const transcript = parseTranscript(transcriptFixture('interview.srt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('srt');
    expect(turnsOf(transcript)).toEqual([
      'Dana@500: Can you hear me all right?',
      "Lena Vogt@3200: Yes, loud and clear. I'm in the office today. The quote we need is for twelve pages, and we'd like it live by January 15.",
      "Dana@12600: I'll send a quote by Wednesday.",
    ]);
    expect(transcript.turns[1]).toMatchObject({ startMs: 3200, endMs: 12400 });
  });

  it('keeps cues without names as separate turns without a speaker, and drops formatting tags', () => {
    const transcript = parseTranscript(transcriptFixture('captions-no-names.srt'));
    expectWellFormed(transcript);
    expect(transcript.participants).toEqual([]);
    expect(turnsOf(transcript)).toEqual([
      '?@1000: Welcome back to the workshop.',
      '?@4500: Today we look at invoices and how to chase them.',
      '?@9000: Questions go in the chat.',
    ]);
  });

  it('names the line of a bad timing or counter', () => {
    expect(() => parseTranscript('1\n00:00:01,000 --> 00:00:75,000\nHi\n', { format: 'srt' })).toThrow(
      "line 2: cue end '00:00:75,000' is not a time",
    );
    expect(() => parseTranscript('one\n00:00:01,000 --> 00:00:02,000\nHi\n', { format: 'srt' })).toThrow(
      "line 1: 'one' is not a cue number",
    );
  });
});
