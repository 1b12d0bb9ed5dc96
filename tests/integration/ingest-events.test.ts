import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { eventSchema } from '../../schemas/event.ts';
import { createClient } from '../../store/clients.ts';
import { createProject } from '../../store/projects.ts';
import type { Db } from '../../store/db.ts';
import { getEvent, getEventRaw, listEvents, recordEvent, type EventDraft } from '../../store/events.ts';
import { dbTargets, fixture, openDb, unique } from '../fixtures/ingest/support.ts';

const receivedAt = '2024-10-05T12:00:00.000Z';

/** An accepted email draft from a sender, optionally in a thread. */
function emailDraft(address: string, threadId?: string, text = 'Hello'): EventDraft {
  return {
    type: 'email.received',
    actor: { kind: 'person', name: 'Sender', address },
    source: { kind: 'email', uri: `mid:${unique()}@mail.example`, version: 'v1' },
    occurredAt: '2024-10-01T08:00:00.000Z',
    confidence: 1,
    ...(threadId ? { threadId } : {}),
    payload: { subject: 'Hi', text },
    metadata: {},
  };
}

async function rowCount(db: Db, key: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from events where idempotency_key = $1', [
    key,
  ]);
  return rows[0]!.n;
}

describe.each(dbTargets(inject('services')))('store/events on $name', (target) => {
  const db: Db = openDb(target);
  afterAll(() => db.close());

  it('stores a parsed email as a valid Event with its raw bytes, and reads it back', async () => {
    const bytes = fixture('multipart-pdf.eml');
    const parsed = await parseInput('email', { content: bytes.toString('base64'), encoding: 'base64' }, { receivedAt });
    const key = `email:${unique()}`;
    const { event, duplicate } = await recordEvent(db, parsed.draft, {
      idempotencyKey: key,
      raw: parsed.bytes,
      receivedAt,
      sourceName: 'inbox',
    });
    expect(duplicate).toBe(false);
    expect(validatorFor(eventSchema)(event)).toBe(true);
    expect(event).toMatchObject({ status: 'accepted', receivedAt, idempotencyKey: key, source: parsed.draft.source });
    expect(event.payload).toEqual(parsed.draft.payload);
    expect(await getEvent(db, event.id)).toEqual(event);
    expect((await getEventRaw(db, event.id))?.equals(bytes)).toBe(true);
    const { rows } = await db.query<{ source_name: string }>('select source_name from events where id = $1', [
      event.id,
    ]);
    expect(rows[0]?.source_name).toBe('inbox');
  });

  it("keeps the sender's UTC offset from the Date header through the store", async () => {
    const raw = Buffer.from(
      'From: Aroha <aroha@kiwi.example>\r\nTo: ops@studio.example\r\nDate: Tue, 8 Dec 2026 23:40:00 +1300\r\n' +
        `Subject: Tomorrow\r\nMessage-ID: <${unique()}@kiwi.example>\r\n\r\nCan we talk tomorrow at 10?\r\n`,
    );
    const arrived = '2026-12-08T10:40:05.000Z';
    const parsed = await parseInput(
      'email',
      { content: raw.toString('base64'), encoding: 'base64' },
      { receivedAt: arrived },
    );
    const { event } = await recordEvent(db, parsed.draft, {
      idempotencyKey: `email:${unique()}`,
      receivedAt: arrived,
    });
    // In UTC this is still the 8th at 10:40; the sender's day is the 8th at 23:40, tomorrow the 9th.
    expect(event.occurredAt).toBe('2026-12-08T23:40:00+13:00');
    expect((await getEvent(db, event.id))?.occurredAt).toBe('2026-12-08T23:40:00+13:00');
    const { rows } = await db.query<{ utc: string }>(
      `select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as utc from events where id = $1`,
      [event.id],
    );
    expect(rows[0]?.utc).toBe('2026-12-08T10:40');
  });

  it('uses the receipt time for a mail dated in 2999, keeping the header and saying why', async () => {
    const raw = Buffer.from(
      'From: Clock <clock@broken.example>\r\nTo: ops@studio.example\r\nDate: Fri, 1 Jan 2999 10:00:00 +0000\r\n' +
        `Subject: Hello\r\nMessage-ID: <${unique()}@broken.example>\r\n\r\nHello\r\n`,
    );
    const parsed = await parseInput('email', { content: raw.toString('base64'), encoding: 'base64' }, { receivedAt });
    expect(parsed.draft.occurredAt).toBe(receivedAt);
    expect(parsed.draft.metadata).toMatchObject({
      dateHeader: 'Fri, 1 Jan 2999 10:00:00 +0000',
      guessed: ['occurredAtFromReceipt'],
      notes: [expect.stringContaining('in the future')],
    });
  });

  it('stores one event for 20 concurrent deliveries of the same input', async () => {
    const draft = emailDraft(`a-${unique()}@nobody.example`);
    const key = `email:${unique()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => recordEvent(db, draft, { idempotencyKey: key, raw: Buffer.from('same bytes') })),
    );
    expect(new Set(results.map((result) => result.event.id)).size).toBe(1);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(results.filter((result) => result.duplicate)).toHaveLength(19);
    expect(await rowCount(db, key)).toBe(1);
  });

  it('keeps the raw bytes of a rejected event and names the bad field', async () => {
    const garbage = fixture('garbage.eml');
    const parsed = await parseInput(
      'email',
      { content: garbage.toString('base64'), encoding: 'base64' },
      { receivedAt },
    );
    const { event } = await recordEvent(db, parsed.draft, { idempotencyKey: `email:${unique()}`, raw: parsed.bytes });
    expect(event.status).toBe('rejected');
    expect(event.confidence).toBe(0);
    expect(event.rejection?.errors).toEqual([{ pointer: '/content/headers', message: expect.any(String) }]);
    expect((await getEventRaw(db, event.id))?.equals(garbage)).toBe(true);
    const { rows } = await db.query<{ status: string }>('select status from events where id = $1', [event.id]);
    expect(rows[0]?.status).toBe('rejected');
  });

  it('stores a draft that breaks the Event schema as rejected, with the draft and the bad field', async () => {
    const draft = { ...emailDraft('x@y.example'), confidence: 7 };
    const { event } = await recordEvent(db, draft, { idempotencyKey: `bad:${unique()}`, raw: Buffer.from('raw') });
    expect(event.status).toBe('rejected');
    expect(event.rejection?.errors).toContainEqual({ pointer: '/confidence', message: 'must be <= 1' });
    expect(event.metadata.invalidDraft).toMatchObject({ confidence: 7, payload: { text: 'Hello' } });
  });

  it('drops NUL characters and lone surrogates that PostgreSQL cannot store, and says so on the event', async () => {
    const draft = emailDraft('nul@y.example', undefined, 'before\u0000after \ud800!');
    const { event } = await recordEvent(db, draft, { idempotencyKey: `nul:${unique()}` });
    expect(event.payload.text).toBe('beforeafter \ufffd!');
    expect(event.metadata.alteredForStorage).toMatch(/^1 text value\(s\) had NUL characters removed/);
    const clean = await recordEvent(db, emailDraft('ok@y.example'), { idempotencyKey: `clean:${unique()}` });
    expect(clean.event.metadata).not.toHaveProperty('alteredForStorage');
  });

  it('links an event to the client by sender email or domain, and to its single active project', async () => {
    const tag = unique();
    const client = await createClient(db, {
      name: 'Acme',
      emails: [`jane@acme-${tag}.example`],
      domains: [`acme-${tag}.example`],
    });
    const project = await createProject(db, { clientId: client.id, name: 'Brand refresh' });
    const byEmail = await recordEvent(db, emailDraft(`Jane@acme-${tag}.example`), { idempotencyKey: `l1:${tag}` });
    expect(byEmail.event).toMatchObject({ clientId: client.id, projectId: project.id });
    const byDomain = await recordEvent(db, emailDraft(`tom@acme-${tag}.example`), { idempotencyKey: `l2:${tag}` });
    expect(byDomain.event).toMatchObject({ clientId: client.id, projectId: project.id });
    const stranger = await recordEvent(db, emailDraft(`who@else-${tag}.example`), { idempotencyKey: `l3:${tag}` });
    expect(stranger.event.clientId).toBeUndefined();
    expect(stranger.event.projectId).toBeUndefined();

    await createProject(db, { clientId: client.id, name: 'Second project' });
    const ambiguous = await recordEvent(db, emailDraft(`jane@acme-${tag}.example`), { idempotencyKey: `l4:${tag}` });
    expect(ambiguous.event.clientId).toBe(client.id);
    expect(ambiguous.event.projectId).toBeUndefined();
  });

  it('links a reply to the project of its thread, even from an unknown sender', async () => {
    const tag = unique();
    const client = await createClient(db, { name: 'Thread client', domains: [`thread-${tag}.example`] });
    const root = `CAF8x1lead.${tag}@mail.acme-studio.com`;
    await createProject(db, { clientId: client.id, name: 'Other active project' });
    const project = await createProject(db, { clientId: client.id, name: 'Threaded', threadIds: [root] });
    const reply = fixture('reply-in-thread.eml')
      .toString('utf8')
      .replaceAll('CAF8x1lead.20240923091233', `CAF8x1lead.${tag}`);
    const parsed = await parseInput('email', { content: reply }, { receivedAt });
    expect(parsed.draft.threadId).toBe(root);
    const { event } = await recordEvent(db, parsed.draft, { idempotencyKey: `t1:${tag}` });
    expect(event).toMatchObject({ projectId: project.id, threadId: root });
    const outsider = await recordEvent(db, emailDraft(`contractor@else-${tag}.example`, root), {
      idempotencyKey: `t2:${tag}`,
    });
    expect(outsider.event).toMatchObject({ projectId: project.id, clientId: client.id });
  });

  it('refuses to update or delete an event', async () => {
    const { event } = await recordEvent(db, emailDraft('keep@y.example'), { idempotencyKey: `ro:${unique()}` });
    await expect(db.query('update events set confidence = 0.1 where id = $1', [event.id])).rejects.toThrow(
      'events are append-only (UPDATE refused)',
    );
    await expect(db.query('delete from events where id = $1', [event.id])).rejects.toThrow(
      'events are append-only (DELETE refused)',
    );
    expect(await getEvent(db, event.id)).toEqual(event);
  });

  it('lists a project’s events newest first, with filters and keyset pages', async () => {
    const project = await createProject(db, { name: `List ${unique()}` });
    const stored = [];
    for (let i = 0; i < 5; i++) {
      const at = new Date(Date.UTC(2024, 9, 1, 9, i)).toISOString();
      const draft = { ...emailDraft('l@y.example'), type: i % 2 === 0 ? 'email.received' : 'note.added' };
      stored.push(
        (await recordEvent(db, draft, { idempotencyKey: `list:${unique()}`, projectId: project.id, receivedAt: at }))
          .event,
      );
    }
    const newestFirst = stored.map((event) => event.id).reverse();
    const seen = [];
    let cursor: string | undefined;
    do {
      const page = await listEvents(db, { projectId: project.id, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(newestFirst);

    const notes = await listEvents(db, { projectId: project.id, type: 'note.added' });
    expect(notes.events.map((event) => event.id)).toEqual([stored[3]!.id, stored[1]!.id]);
    const window = await listEvents(db, {
      projectId: project.id,
      since: stored[1]!.receivedAt,
      until: stored[3]!.receivedAt,
    });
    expect(window.events.map((event) => event.id)).toEqual([stored[2]!.id, stored[1]!.id]);
    expect((await listEvents(db, { projectId: project.id, status: 'rejected' })).events).toEqual([]);
  });
});
