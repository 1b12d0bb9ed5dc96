import { describe, expect, it } from 'vitest';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { transcriptSchema, type Transcript } from '../../schemas/transcript.ts';
import { transcriptFixture } from '../support/transcripts.ts';

const receivedAt = '2026-12-07T12:00:00.000Z';

describe('ingest: transcript input kind', () => {
  it('a .vtt becomes a meeting.transcript event, its source a uri and a content hash, its date from the file name', async () => {
    const content = transcriptFixture('2026-11-24-kickoff.vtt');
    const { draft, identity } = await parseInput(
      'transcript',
      { content, contentType: 'text/vtt', uri: 'meetings/2026-11-24-kickoff.vtt' },
      { receivedAt, sourceName: 'meetings' },
    );
    expect(draft.type).toBe('meeting.transcript');
    expect(draft.status).toBeUndefined();
    expect(draft.source).toEqual({
      kind: 'transcript',
      uri: 'meetings/2026-11-24-kickoff.vtt',
      version: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(identity).toBe(`meetings/2026-11-24-kickoff.vtt@${draft.source.version}`);
    expect(draft.occurredAt).toBe('2026-11-24T00:00:00.000Z');
    expect(draft.confidence).toBe(1);
    const payload = draft.payload as Transcript & { meetingAtFrom: string };
    expect(payload).toMatchObject({
      format: 'webvtt',
      meetingAtFrom: 'file name',
      meetingAt: '2026-11-24T00:00:00.000Z',
    });
    const { meetingAtFrom: _from, ...transcript } = payload;
    expect(validatorFor(transcriptSchema)(transcript)).toBe(true);
    expect(draft.metadata).toMatchObject({ turns: 8, durationMs: 44_000, guessed: [] });
  });

  it('the date given by the caller wins over the file’s; the file’s header over its name', async () => {
    const content = transcriptFixture('meet-review.txt');
    const given = await parseInput(
      'transcript',
      { content, meetingAt: '2026-11-26T15:05:00+01:00', uri: '2026-01-01.txt' },
      { receivedAt },
    );
    expect(given.draft.payload).toMatchObject({ meetingAt: '2026-11-26T14:05:00.000Z', meetingAtFrom: 'provided' });
    const header = await parseInput('transcript', { content, uri: '2026-01-01.txt' }, { receivedAt });
    expect(header.draft.payload).toMatchObject({ meetingAt: '2026-11-26T14:00:00.000Z', meetingAtFrom: 'file' });
  });

  it('without any date the meeting is dated by its ingest, said so and with less confidence', async () => {
    const { draft } = await parseInput(
      'transcript',
      { content: transcriptFixture('pasted-notes.txt') },
      { receivedAt },
    );
    expect(draft.payload).toMatchObject({ format: 'pasted', meetingAt: receivedAt, meetingAtFrom: 'ingest' });
    expect(draft.occurredAt).toBe(receivedAt);
    expect(draft.confidence).toBe(0.9);
    expect(draft.metadata).toMatchObject({ guessed: ['meetingAtFromReceipt'] });
    expect(draft.source.uri).toMatch(/^urn:sha256:/);
  });

  it('unreadable input is a rejected event naming the line, and a bad date names its field', async () => {
    const bad = await parseInput('transcript', { content: transcriptFixture('bad-time.vtt') }, { receivedAt });
    expect(bad.draft).toMatchObject({
      type: 'meeting.transcript',
      status: 'rejected',
      rejection: {
        reason: 'unreadable transcript',
        errors: [{ pointer: '/content', message: "line 6: cue end '00:61:00.000' is not a time" }],
      },
    });
    const notATranscript = await parseInput('transcript', { content: 'Just a note.\nNothing more.\n' }, { receivedAt });
    expect(notATranscript.draft.rejection?.errors[0]?.message).toMatch(/does not look like a transcript/);
    const date = await parseInput(
      'transcript',
      { content: transcriptFixture('interview.srt'), meetingAt: 'last tuesday' },
      { receivedAt },
    );
    expect(date.draft.rejection?.errors).toEqual([
      { pointer: '/meetingAt', message: "'last tuesday' is not a date-time" },
    ]);
  });

  it('an SRT file declared by its media type is read as SRT', async () => {
    const { draft } = await parseInput(
      'transcript',
      { content: transcriptFixture('interview.srt'), contentType: 'application/x-subrip' },
      { receivedAt },
    );
    expect(draft.payload).toMatchObject({ format: 'srt', participants: ['Dana', 'Lena Vogt'] });
  });
});
