import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Event } from '../../schemas/event.ts';
import type { ReviewTask } from '../../schemas/review-task.ts';
import { getEventRaw } from '../../store/events.ts';
import { startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 19, bad-input rows about ingest: each answered with a 4xx naming the field (or stored and
// flagged), the server still up, nothing stored before lost or changed.

interface Answer {
  statusCode?: number;
  message?: string;
  errors?: { pointer: string; message: string }[];
  eventId: string;
  status: string;
  duplicate: boolean;
  idempotencyKey: string;
  bodyDiffers?: { recordId: string; message: string };
}

describe('bad input at ingest', () => {
  const services = inject('services');
  let server: IngestServer;
  let hook = { name: '', secret: '' };
  let mail = { name: '', secret: '' };

  beforeAll(async () => {
    server = await startIngestServer(services);
    hook = await server.source('bad-hook');
    mail = await server.source('bad-mail', 'email');
  });
  afterAll(async () => {
    await server?.close();
  });

  const eventOf = async (id: string) =>
    ((await (await server.api(`/api/events/${encodeURIComponent(id)}`)).json()) as { event: Event }).event;
  const stillUp = async () => expect((await server.api('/api/webhook-sources')).status).toBe(200);
  /** Rows stored before a bad delivery, unchanged after it (the delivery may add its own). */
  const unchanged = async (before: unknown[]) =>
    expect(await server.eventRows()).toEqual(expect.arrayContaining(before as object[]));

  it('stores JSON nested 5,000 levels deep as a rejected event naming the depth limit (422)', async () => {
    const before = await server.eventRows();
    const body = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const response = await server.deliver(hook.name, hook.secret, body);
    expect(response.status).toBe(422);
    const answer = (await response.json()) as Answer;
    expect(answer.errors?.[0]?.message).toMatch(/nested deeper than 64 levels/);
    expect(answer.errors?.[0]?.pointer).toMatch(/^\/content(\/a){64}$/);
    const event = await eventOf(answer.eventId);
    expect(event).toMatchObject({ status: 'rejected', rejection: { reason: 'nested too deeply' } });
    // Never lost: the bytes are kept as they came.
    expect((await getEventRaw(server.h.db, answer.eventId))?.toString()).toBe(body);
    expect(await server.eventRows()).toHaveLength(before.length + 1);
    await unchanged(before);
    await stillUp();
  });

  it('says when an idempotency key comes back with a different body (409), keeps one event and records the body', async () => {
    const key = { 'idempotency-key': `order-${Date.now()}` };
    const first = await server.deliver(hook.name, hook.secret, '{"id":"k1","amount":100}', { headers: key });
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as Answer;
    const firstEvent = await eventOf(accepted.eventId);
    const before = await server.eventRows();

    // The same JSON written differently is the same delivery: a plain duplicate.
    const same = await server.deliver(hook.name, hook.secret, '{ "amount": 100, "id": "k1" }', { headers: key });
    expect(same.status).toBe(202);
    expect(await same.json()).toMatchObject({ eventId: accepted.eventId, duplicate: true });

    const changed = await server.deliver(hook.name, hook.secret, '{"id":"k1","amount":900}', { headers: key });
    expect(changed.status).toBe(409);
    const answer = (await changed.json()) as Answer;
    expect(answer).toMatchObject({ eventId: accepted.eventId, duplicate: true });
    expect(answer.message).toMatch(/different body/);
    expect(answer.errors?.[0]?.pointer).toBe('/headers/idempotency-key');
    const keyed = await server.h.db.query('select id from events where idempotency_key = $1', [
      accepted.idempotencyKey,
    ]);
    expect(keyed.rows).toEqual([{ id: accepted.eventId }]);
    expect(await eventOf(accepted.eventId)).toEqual(firstEvent);
    const record = await eventOf(answer.bodyDiffers!.recordId);
    expect(record).toMatchObject({
      status: 'rejected',
      metadata: { conflictsWith: accepted.eventId },
      rejection: { reason: 'idempotency key reused with a different body' },
    });
    expect((await getEventRaw(server.h.db, record.id))?.toString()).toBe('{"id":"k1","amount":900}');
    await unchanged(before);
    await stillUp();
  });

  it('refuses a NUL character inside webhook JSON (422 naming the field) instead of removing it', async () => {
    const before = await server.eventRows();
    const body = '{"id":"nul-1","customer":{"name":"Ana\\u0000Lopez"}}';
    const response = await server.deliver(hook.name, hook.secret, body);
    expect(response.status).toBe(422);
    const answer = (await response.json()) as Answer;
    expect(answer.errors?.[0]).toMatchObject({ pointer: '/content/customer/name' });
    expect(answer.errors?.[0]?.message).toMatch(/NUL/);
    const event = await eventOf(answer.eventId);
    expect(event).toMatchObject({ status: 'rejected', payload: {} });
    expect((await getEventRaw(server.h.db, answer.eventId))?.toString()).toBe(body);
    await unchanged(before);
    await stillUp();
  });

  it.each([
    ['a body that is not JSON', '{"id": "half', 'application/json', /not JSON/],
    ['the wrong content type', '<order id="1"/>', 'text/html', /wrong content type/],
  ])(
    'shows %s as unreadable input in the review queue, never as a routing question',
    async (_what, body, contentType, reason) => {
      const response = await server.deliver(hook.name, hook.secret, body, { contentType });
      expect(response.status).toBe(422);
      const answer = (await response.json()) as Answer;
      expect(answer.message).toMatch(reason);
      const tasks = (
        (await (await server.api('/api/reviews?state=pending&kind=triage&limit=100')).json()) as {
          tasks: ReviewTask[];
        }
      ).tasks.filter((task) => task.runId === answer.eventId);
      expect(tasks).toHaveLength(1);
      const task = tasks[0]!;
      expect(task.title).toMatch(/^Unreadable input from /);
      expect(task.title).not.toMatch(/Which workflow/);
      expect(task.instructions).toMatch(/fix the source and send it again/);
      expect(task.context).toMatchObject({ unreadable: { reason: expect.stringMatching(reason) } });
      expect(task.proposed).toBeUndefined();
      expect(task.context).not.toHaveProperty('candidates');

      // Routing it is refused, naming the decision; discarding it works.
      const decide = (payload: object) =>
        server.api(`/api/reviews/${encodeURIComponent(task.id)}/decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
      for (const routing of [{ decision: 'edited', value: { workflowId: 'any' } }, { decision: 'approved' }]) {
        const routed = await decide(routing);
        expect(routed.status).toBe(400);
        const refusal = (await routed.json()) as Answer;
        expect(refusal.errors?.[0]?.pointer).toBe('/decision');
        expect(refusal.message).toMatch(/could not be read/);
      }
      const discarded = await decide({ decision: 'rejected', note: 'sender fixed' });
      expect(discarded.status).toBe(200);
      await stillUp();
    },
  );

  const email = (headers: string[], body: string[]) => [...headers, '', ...body].join('\r\n');

  it('keeps going through a CLI batch when one file is unreadable, listing it as rejected with its reason', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-cli-'));
    const good = path.join(dir, 'good.eml');
    const junk = path.join(dir, 'junk.eml');
    writeFileSync(
      good,
      email(['From: Ana <ana@example.com>', 'Subject: Hello', `Message-ID: <cli-${Date.now()}@x>`], ['Hi']),
    );
    writeFileSync(junk, 'this is not a mail at all');
    const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'ingest', good, junk, '--source', mail.name, '--json'],
      { env: { ...process.env, TRELLIS_URL: server.base, TRELLIS_API_TOKEN: server.token }, timeout: 60_000 },
    );
    const rows = JSON.parse(stdout) as { file: string; status: string; reason?: string }[];
    expect(rows.map((row) => [path.basename(row.file), row.status])).toEqual([
      ['good.eml', 'accepted'],
      ['junk.eml', 'rejected'],
    ]);
    expect(rows[1]?.reason).toMatch(/not an RFC 822 message/);
  });

  it('recovers the text of an email whose MIME boundaries match no part, and flags it', async () => {
    const raw = email(
      [
        'From: Ana <ana@example.com>',
        'To: studio@example.com',
        'Subject: Logo quote',
        'Date: Mon, 7 Dec 2026 09:00:00 +0100',
        `Message-ID: <broken-${Date.now()}@example.com>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="declared-boundary"',
      ],
      [
        '--other-boundary',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Please quote the logo redesign, budget 1200 =E2=82=AC.',
        '--other-boundary',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Please quote the logo redesign</p>',
        '--other-boundary--',
      ],
    );
    const response = await server.deliver(mail.name, mail.secret, raw, { contentType: 'message/rfc822' });
    expect(response.status).toBe(202);
    const event = await eventOf(((await response.json()) as Answer).eventId);
    expect(event.payload.text).toBe('Please quote the logo redesign, budget 1200 €.');
    expect(event.metadata).toMatchObject({
      guessed: expect.arrayContaining(['textFromBrokenMime']),
      notes: expect.arrayContaining([expect.stringMatching(/MIME boundaries/)]),
    });
    expect(event.confidence).toBeLessThan(1);
  });

  it.each([
    ['2999', 'Tue, 1 Jan 2999 10:00:00 +0000'],
    ['1970', 'Thu, 1 Jan 1970 00:00:00 +0000'],
  ])('takes the receipt time for an email dated %s, keeping the header and flagging it', async (_year, date) => {
    const raw = email(
      [
        'From: Ana <ana@example.com>',
        'Subject: Dated oddly',
        `Date: ${date}`,
        `Message-ID: <dated-${date.length}-${Date.now()}@example.com>`,
      ],
      ['Can we meet next week?'],
    );
    const response = await server.deliver(mail.name, mail.secret, raw, { contentType: 'message/rfc822' });
    expect(response.status).toBe(202);
    const event = await eventOf(((await response.json()) as Answer).eventId);
    expect(new Date(event.occurredAt).getTime()).toBe(new Date(event.receivedAt).getTime());
    expect(event.metadata).toMatchObject({
      dateHeader: date,
      guessed: expect.arrayContaining(['occurredAtFromReceipt']),
      notes: expect.arrayContaining([expect.stringMatching(/implausible/)]),
    });
  });
});
