import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isSealed } from '../../security/envelope.ts';
import { startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 19, finding 2 (webhook sources): a secret can be rotated with an overlap window in which
// the old and the new secret both verify, and a source can be deleted; its events stay and its
// deliveries are then refused exactly like those to a source that never existed.

interface SourceAnswer {
  name: string;
  secret: string;
  previousSecretValidUntil?: string;
}
interface ErrorBody {
  statusCode: number;
  message: string;
  errors: { pointer: string; message: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook source rotation and deletion', () => {
  const services = inject('services');
  let server: IngestServer;
  let sequence = 0;
  const body = () => JSON.stringify({ id: `delivery-${Date.now()}-${sequence++}` });

  beforeAll(async () => {
    server = await startIngestServer(services);
  });
  afterAll(async () => {
    await server?.close();
  });

  const json = (method: string, payload?: unknown): RequestInit => ({
    method,
    ...(payload === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
  });
  async function createSource(prefix: string): Promise<SourceAnswer> {
    const name = `${prefix}-${Date.now().toString(36)}-${sequence++}`;
    const created = await server.api('/api/webhook-sources', json('POST', { name }));
    expect(created.status, await created.clone().text()).toBe(201);
    return (await created.json()) as SourceAnswer;
  }
  async function rotate(name: string, payload?: unknown): Promise<SourceAnswer> {
    const rotated = await server.api(`/api/webhook-sources/${name}/rotate`, json('POST', payload));
    expect(rotated.status, await rotated.clone().text()).toBe(200);
    return (await rotated.json()) as SourceAnswer;
  }
  /** The refusal a delivery to a source that never existed gets: what a deleted or expired secret must match. */
  async function unknownSourceRefusal(): Promise<ErrorBody> {
    const answer = await server.deliver('never-existed', 'whsec_whatever', body());
    expect(answer.status).toBe(401);
    return (await answer.json()) as ErrorBody;
  }

  it('verifies the old and the new secret during the overlap, and only the new one after it', async () => {
    const source = await createSource('rotate');
    const started = Date.now();
    const rotated = await rotate(source.name, { overlapHours: 3 / 3600 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(source.secret);
    expect(JSON.stringify(rotated)).not.toContain(source.secret);
    const validUntil = Date.parse(rotated.previousSecretValidUntil!);
    expect(validUntil - started).toBeGreaterThan(2_000);
    expect(validUntil - started).toBeLessThan(5_000);

    const { rows } = await server.h.db.query<{ secret: string; previous_secret: string }>(
      'select secret, previous_secret from webhook_sources where name = $1',
      [source.name],
    );
    for (const stored of [rows[0]!.secret, rows[0]!.previous_secret]) {
      expect(isSealed(stored)).toBe(true);
      expect(stored).not.toContain(source.secret.slice('whsec_'.length));
      expect(stored).not.toContain(rotated.secret.slice('whsec_'.length));
    }
    const listed = await (await server.api('/api/webhook-sources')).text();
    expect(listed).toContain(rotated.previousSecretValidUntil);
    expect(listed).not.toContain(source.secret);
    expect(listed).not.toContain(rotated.secret);

    expect((await server.deliver(source.name, source.secret, body())).status).toBe(202);
    expect((await server.deliver(source.name, rotated.secret, body())).status).toBe(202);

    await sleep(Math.max(0, validUntil - Date.now()) + 250);
    const old = await server.deliver(source.name, source.secret, body());
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual(await unknownSourceRefusal());
    expect((await server.deliver(source.name, rotated.secret, body())).status).toBe(202);
    expect(await (await server.api('/api/webhook-sources')).text()).not.toContain(rotated.previousSecretValidUntil);
  });

  it('stops the old secret at once with overlapHours 0, and keeps it 24 hours by default', async () => {
    const source = await createSource('rotate-now');
    const rotated = await rotate(source.name, { overlapHours: 0 });
    expect(rotated.previousSecretValidUntil).toBeUndefined();
    expect((await server.deliver(source.name, source.secret, body())).status).toBe(401);
    expect((await server.deliver(source.name, rotated.secret, body())).status).toBe(202);

    const byDefault = await rotate(source.name);
    const hours = (Date.parse(byDefault.previousSecretValidUntil!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect((await server.deliver(source.name, rotated.secret, body())).status).toBe(202);
    expect((await server.deliver(source.name, byDefault.secret, body())).status).toBe(202);
  });

  it('refuses a bad overlap naming the field, and an unknown source with 404', async () => {
    const source = await createSource('rotate-bad');
    for (const overlapHours of [-1, 'soon', 721]) {
      const answer = await server.api(`/api/webhook-sources/${source.name}/rotate`, json('POST', { overlapHours }));
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as ErrorBody).errors[0]?.pointer).toBe('/overlapHours');
    }
    expect((await server.deliver(source.name, source.secret, body())).status).toBe(202);
    for (const [method, url] of [
      ['POST', '/api/webhook-sources/no-such-source/rotate'],
      ['DELETE', '/api/webhook-sources/no-such-source'],
    ] as const) {
      const answer = await server.api(url, json(method, method === 'POST' ? {} : undefined));
      expect(answer.status).toBe(404);
      expect(((await answer.json()) as ErrorBody).errors[0]?.pointer).toBe('/params/name');
    }
  });

  it('deletes a source: its events stay, its deliveries are refused like an unknown source', async () => {
    const source = await createSource('delete');
    const accepted = await server.deliver(source.name, source.secret, body());
    expect(accepted.status).toBe(202);
    const { eventId } = (await accepted.json()) as { eventId: string };

    const deleted = await server.api(`/api/webhook-sources/${source.name}`, json('DELETE'));
    expect(deleted.status).toBe(204);
    expect(await (await server.api('/api/webhook-sources')).text()).not.toContain(`"${source.name}"`);

    const refused = await server.deliver(source.name, source.secret, body());
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(await unknownSourceRefusal());

    const stored = await server.api(`/api/events/${eventId}`);
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { event: { id: string } }).event.id).toBe(eventId);
    const { rows } = await server.h.db.query('select 1 from events where source_name = $1', [source.name]);
    expect(rows).toHaveLength(1);
    expect((await server.api(`/api/webhook-sources/${source.name}`, json('DELETE'))).status).toBe(404);
  });

  it('describes rotate and delete in the OpenAPI document, with no secret in the listing', async () => {
    const document = (await (await server.api('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>>;
    };
    const rotateOperation = document.paths['/api/webhook-sources/{name}/rotate']?.post;
    expect(JSON.stringify(rotateOperation?.requestBody)).toContain('overlapHours');
    expect(JSON.stringify(rotateOperation?.responses?.['200'])).toContain('secret');
    expect(document.paths['/api/webhook-sources/{name}']?.delete).toBeDefined();
    expect(JSON.stringify(document.paths['/api/webhook-sources/']?.get?.responses)).not.toContain('"secret"');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });
});
