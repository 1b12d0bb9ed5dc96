import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signBody } from '../../server/lib/signature.ts';
import { now, postPartially, startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 19, finding 1: unauthenticated ingest must be refused before its body is read, answer an
// unknown source exactly like a wrong signature, and limit refusals by client address.

interface ErrorBody {
  statusCode: number;
  message: string;
  errors: { pointer: string; message: string }[];
}

describe('ingest checks the sender before it reads the body', () => {
  const services = inject('services');
  let server: IngestServer;
  let source = { name: '', secret: '' };

  beforeAll(async () => {
    server = await startIngestServer(services);
    source = await server.source('gate');
  });
  afterAll(async () => {
    await server?.close();
  });

  // Still answering requests (the health route also reports services this test does not start).
  const health = async () => (await server.api('/api/webhook-sources')).status;

  it('answers an unknown source and a wrong signature identically (401, same body)', async () => {
    const before = await server.eventRows();
    const body = '{"id":"probe"}';
    const unknown = await server.deliver('no-such-source', source.secret, body);
    const wrongSignature = await server.deliver(source.name, 'whsec_not-the-secret', body);
    expect(unknown.status).toBe(401);
    expect(wrongSignature.status).toBe(401);
    const [a, b] = [(await unknown.json()) as ErrorBody, (await wrongSignature.json()) as ErrorBody];
    expect(a).toEqual(b);
    expect(a.errors[0]?.pointer).toBe('/headers/x-trellis-signature');
    expect(await server.eventRows()).toEqual(before);
  });

  it('still tells an operator with a token that the source does not exist (404 naming it)', async () => {
    const response = await server.api('/api/ingest/no-such-source', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).errors[0]?.pointer).toBe('/params/source');
  });

  it.each([
    ['an unknown source', () => 'no-such-source', () => ({ signed: true })],
    ['an unsigned delivery', () => source.name, () => ({ signed: false })],
  ])('refuses %s before the 10 MB body has arrived', async (_what, name, how) => {
    const before = await server.eventRows();
    const timestamp = now();
    const answer = await postPartially(
      `${server.base}/api/ingest/${name()}`,
      {
        'content-type': 'message/rfc822',
        'x-trellis-timestamp': String(timestamp),
        ...(how().signed ? { 'x-trellis-signature': signBody(source.secret, timestamp, 'anything') } : {}),
      },
      10 * 1024 * 1024,
    );
    expect(answer.status, answer.body).toBe(401);
    expect(await server.eventRows()).toEqual(before);
    expect(await health()).toBe(200);
  });

  it('refuses a declared length over the limit before reading it (413), known source or not', async () => {
    const timestamp = now();
    const headers = {
      'content-type': 'application/json',
      'x-trellis-timestamp': String(timestamp),
      'x-trellis-signature': signBody(source.secret, timestamp, 'x'),
    };
    const known = await postPartially(`${server.base}/api/ingest/${source.name}`, headers, 2 * 1024 * 1024);
    const unknown = await postPartially(`${server.base}/api/ingest/no-such-source`, headers, 2 * 1024 * 1024);
    expect(known.status, known.body).toBe(413);
    // The limit that applies before the signature is checked depends on the body type only.
    expect(unknown.status).toBe(413);
    expect(unknown.body).toBe(known.body);
  });

  it('stops reading a chunked body at the source limit while it streams (413), and stays up', async () => {
    const before = await server.eventRows();
    const timestamp = now();
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // A sender that would never stop: the server must cut it off.
        sent += chunk.length;
        if (sent > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${server.base}/api/ingest/${source.name}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trellis-timestamp': String(timestamp),
        'x-trellis-signature': signBody(source.secret, timestamp, 'x'),
      },
      body,
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(50 * 1024 * 1024);
    expect(await server.eventRows()).toEqual(before);
    expect(await health()).toBe(200);
  });

  it('takes a correctly signed delivery, empty bodies included, and refuses its replay', async () => {
    const body = JSON.stringify({ id: 'gate-ok', text: 'hello' });
    const timestamp = now();
    const accepted = await server.deliver(source.name, source.secret, body, { timestamp });
    expect(accepted.status).toBe(202);
    const replay = await server.deliver(source.name, source.secret, body, { timestamp });
    expect(replay.status).toBe(409);
    // The MAC of an empty body is checked too (Fastify reads no body then).
    const empty = await fetch(`${server.base}/api/ingest/${source.name}`, {
      method: 'POST',
      headers: { 'x-trellis-timestamp': String(timestamp), 'x-trellis-signature': signBody('wrong', timestamp, '') },
    });
    expect(empty.status).toBe(401);
  });

  it("counts only authenticated deliveries against a source's rate, so a 429 cannot reveal the source", async () => {
    const limited = await server.source('limited', 'webhook', 3);
    const probes: number[] = [];
    for (let i = 0; i < 5; i++) probes.push((await server.deliver(limited.name, 'guess', `{"id":"p${i}"}`)).status);
    expect(probes).toEqual([401, 401, 401, 401, 401]);
    const valid: number[] = [];
    for (let i = 0; i < 4; i++)
      valid.push((await server.deliver(limited.name, limited.secret, `{"id":"v${i}"}`)).status);
    expect(valid).toEqual([202, 202, 202, 429]);
  });

  // Last: it blocks this test's own address for a minute.
  it('turns an address away once it has been refused 60 times in a minute, whatever names it rotates', async () => {
    const before = await server.eventRows();
    const statuses: number[] = [];
    for (let i = 0; i < 64; i++) {
      const response = await server.deliver(`probe-${i}`, 'guess', '{}');
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    // The tests above were refused a few times already: the 60th refusal in all is the last one answered.
    const firstTurnedAway = statuses.indexOf(429);
    expect(firstTurnedAway, statuses.join(' ')).toBeGreaterThan(40);
    expect(firstTurnedAway).toBeLessThanOrEqual(60);
    expect(statuses.slice(0, firstTurnedAway).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstTurnedAway).every((status) => status === 429)).toBe(true);
    // Even a valid delivery from that address waits, while the server stays up for everyone.
    const valid = await server.deliver(source.name, source.secret, '{"id":"after-probing"}');
    expect(valid.status).toBe(429);
    expect(Number(valid.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await server.eventRows()).toEqual(before);
    expect(await health()).toBe(200);
  });
});
