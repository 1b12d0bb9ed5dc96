import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Event } from '../../schemas/event.ts';
import type { Transcript } from '../../schemas/transcript.ts';
import { getEventRaw } from '../../store/events.ts';
import { formatCitation } from '../../transcripts/cite.ts';
import { now, startIngestServer, type IngestServer } from '../support/ingest-server.ts';
import { transcriptFixture, transcriptsDir } from '../support/transcripts.ts';

// Meeting transcripts through the real API: a document source takes them (by type, by uri, or
// asked with ?kind=transcript), stores a meeting.transcript event with its bytes, and refuses
// what it cannot read with the line or the field at fault. The CLI picks the kind per file.

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');

interface Answer {
  statusCode?: number;
  message?: string;
  errors?: { pointer: string; message: string }[];
  eventId: string;
  status: string;
  duplicate: boolean;
}

type TranscriptPayload = Transcript & { meetingAtFrom: string };

describe('ingest of meeting transcripts', () => {
  const services = inject('services');
  let server: IngestServer;
  let docs = { name: '', secret: '' };
  let hook = { name: '', secret: '' };

  beforeAll(async () => {
    server = await startIngestServer(services);
    docs = await server.source('meetings', 'document');
    hook = await server.source('meeting-hook');
  });
  afterAll(async () => {
    await server?.close();
  });

  const eventOf = async (id: string) =>
    ((await (await server.api(`/api/events/${encodeURIComponent(id)}`)).json()) as { event: Event }).event;

  it('stores a .vtt as a meeting.transcript event with its turns, participants, date and bytes', async () => {
    const body = transcriptFixture('2026-11-24-kickoff.vtt');
    const response = await server.deliver(
      `${docs.name}?uri=${encodeURIComponent('2026-11-24-kickoff.vtt')}`,
      docs.secret,
      body,
      {
        contentType: 'text/vtt',
      },
    );
    const answer = (await response.json()) as Answer;
    expect(response.status).toBe(202);
    expect(answer).toMatchObject({ status: 'accepted', duplicate: false });

    const event = await eventOf(answer.eventId);
    expect(event).toMatchObject({
      type: 'meeting.transcript',
      status: 'accepted',
      source: { kind: 'transcript', uri: '2026-11-24-kickoff.vtt', version: expect.stringMatching(/^[0-9a-f]{16}$/) },
      occurredAt: '2026-11-24T00:00:00.000Z',
      confidence: 1,
    });
    const payload = event.payload as TranscriptPayload;
    expect(payload).toMatchObject({
      format: 'webvtt',
      meetingAt: '2026-11-24T00:00:00.000Z',
      meetingAtFrom: 'file name',
      participants: ['Dana Whitfield', 'Marco Rossi', 'Priya Natarajan'],
    });
    expect(payload.turns).toHaveLength(8);
    expect(formatCitation(payload.turns[4]!)).toBe(
      'at 00:00:24, Priya Natarajan said "Dana, could you send us the sitemap draft by Friday?"',
    );
    expect((await getEventRaw(server.h.db, event.id))?.toString('utf8')).toBe(body);

    // The same bytes again (signed anew): the same event.
    const again = (await (
      await server.deliver(`${docs.name}?uri=2026-11-24-kickoff.vtt`, docs.secret, body, {
        contentType: 'text/vtt',
        timestamp: now() - 30,
      })
    ).json()) as Answer;
    expect(again).toMatchObject({ eventId: answer.eventId, duplicate: true });
  });

  it('stores a pasted transcript asked for with ?kind=transcript, dated by the meetingAt given', async () => {
    const body = transcriptFixture('pasted-notes.txt');
    const query = new URLSearchParams({ kind: 'transcript', meetingAt: '2026-12-04T16:00:00+01:00' });
    const response = await server.deliver(`${docs.name}?${query.toString()}`, docs.secret, body, {
      contentType: 'text/plain',
    });
    expect(response.status).toBe(202);
    const event = await eventOf(((await response.json()) as Answer).eventId);
    expect(event).toMatchObject({
      type: 'meeting.transcript',
      occurredAt: '2026-12-04T15:00:00.000Z',
      source: { kind: 'transcript', uri: expect.stringMatching(/^urn:sha256:/) },
    });
    expect(event.payload).toMatchObject({
      format: 'pasted',
      meetingAtFrom: 'provided',
      participants: ['Dana', 'Chris'],
    });

    // Without the kind, the same text on a document source stays a document.
    const plain = await server.deliver(docs.name, docs.secret, `${body}\n`, { contentType: 'text/plain' });
    expect((await eventOf(((await plain.json()) as Answer).eventId)).type).toBe('document.received');
  });

  it('answers 422 naming the line of an unreadable transcript, and keeps it as a rejected event', async () => {
    const response = await server.deliver(docs.name, docs.secret, transcriptFixture('bad-time.vtt'), {
      contentType: 'text/vtt',
    });
    expect(response.status).toBe(422);
    const answer = (await response.json()) as Answer;
    expect(answer.errors).toEqual([{ pointer: '/content', message: "line 6: cue end '00:61:00.000' is not a time" }]);
    expect(await eventOf(answer.eventId)).toMatchObject({
      type: 'meeting.transcript',
      status: 'rejected',
      rejection: { reason: 'unreadable transcript' },
    });
  });

  it('answers 400 naming the field for a bad meetingAt, an unknown kind, or a kind on a webhook source', async () => {
    const body = transcriptFixture('interview.srt');
    const date = await server.deliver(`${docs.name}?kind=transcript&meetingAt=yesterday`, docs.secret, body, {
      contentType: 'application/x-subrip',
    });
    expect(date.status).toBe(400);
    expect(((await date.json()) as Answer).errors?.[0]?.pointer).toBe('/query/meetingAt');

    const kind = await server.deliver(`${docs.name}?kind=audio`, docs.secret, body, { contentType: 'text/plain' });
    expect(kind.status).toBe(400);
    expect(((await kind.json()) as Answer).errors?.[0]?.pointer).toBe('/query/kind');

    const webhook = await server.deliver(`${hook.name}?kind=transcript`, hook.secret, '{"id":"x"}');
    expect(webhook.status).toBe(400);
    expect((await webhook.json()) as Answer).toMatchObject({
      errors: [{ pointer: '/query/kind', message: expect.stringContaining('is for document sources') }],
    });
  });

  it('takes a .vtt upload on POST /documents as a transcript, and names a bad kind field', async () => {
    const form = new FormData();
    form.append('meetingAt', '2026-12-01T09:00:00Z');
    form.append('file', new Blob([transcriptFixture('teams-standup.vtt')], { type: 'text/vtt' }), 'standup.vtt');
    const response = await server.api('/api/documents', { method: 'POST', body: form });
    expect(response.status).toBe(202);
    const event = await eventOf(((await response.json()) as Answer).eventId);
    expect(event).toMatchObject({ type: 'meeting.transcript', occurredAt: '2026-12-01T09:00:00.000Z' });
    expect(event.payload).toMatchObject({ format: 'teams', meetingAtFrom: 'provided' });

    const bad = new FormData();
    bad.append('kind', 'video');
    bad.append('file', new Blob(['WEBVTT\n'], { type: 'text/vtt' }), 'x.vtt');
    const refused = await server.api('/api/documents', { method: 'POST', body: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Answer).errors?.[0]?.pointer).toBe('/kind');
  });

  it('trellis ingest reads .vtt and a confident .txt as transcripts, an ordinary .txt as a document', async () => {
    const notes = path.join(mkdtempSync(path.join(tmpdir(), 'trellis-transcripts-')), 'notes.txt');
    writeFileSync(notes, 'Notes for the kickoff\n\nDana: bring the moodboard.\nAsk about the budget.\n');
    const { stdout } = await run(
      process.execPath,
      [
        cli,
        'ingest',
        path.join(transcriptsDir, 'captions-no-names.srt'),
        path.join(transcriptsDir, 'otter-call.txt'),
        notes,
        '--source',
        docs.name,
        '--json',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          TRELLIS_URL: server.base,
          TRELLIS_API_TOKEN: server.token,
        },
      },
    );
    const results = JSON.parse(stdout) as { file: string; eventId: string; status: string }[];
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const [srt, otter, document] = await Promise.all(results.map((r) => eventOf(r.eventId)));
    expect(srt).toMatchObject({ type: 'meeting.transcript', source: { uri: 'captions-no-names.srt' } });
    expect(srt?.payload).toMatchObject({ format: 'srt', meetingAtFrom: 'ingest' });
    expect(otter).toMatchObject({ type: 'meeting.transcript', occurredAt: '2026-12-01T09:30:00.000Z' });
    expect(otter?.payload).toMatchObject({ format: 'otter', meetingAtFrom: 'file' });
    expect(document?.type).toBe('document.received');
  });
});
