import { afterAll, describe, expect, inject, it } from 'vitest';
import { ingestNode } from '../../nodes/ingest/index.ts';
import { ingestRaw } from '../../nodes/ingest/ingest.ts';
import { NodeRegistry, checkDefinition } from '../../nodes/sdk/registry.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { createClient } from '../../store/clients.ts';
import { createProject } from '../../store/projects.ts';
import type { Db } from '../../store/db.ts';
import { getEventRaw } from '../../store/events.ts';
import { dbTargets, fixture, nodeContext, openDb, unique } from '../fixtures/ingest/support.ts';

type IngestResult = { output: { event: { id: string; status: string } & Record<string, unknown>; duplicate: boolean } };

/** Runs the node as the worker would: input and config validated against its schemas first. */
async function runIngest(db: Db, config: object, input: object, attempt = 1): Promise<IngestResult['output']> {
  for (const [part, value] of [
    ['config', config],
    ['input', input],
  ] as const) {
    const validate = validatorFor(ingestNode[part]);
    if (!validate(value)) throw new Error(`${part} invalid: ${JSON.stringify(validate.errors)}`);
  }
  const outcome = (await ingestNode.run!(input, config, nodeContext(db, { attempt }))) as IngestResult;
  const validateOutput = validatorFor(ingestNode.output);
  expect(validateOutput(outcome.output), JSON.stringify(validateOutput.errors)).toBe(true);
  return outcome.output;
}

async function eventRows(db: Db, sourceUri: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from events where source_uri = $1', [
    sourceUri,
  ]);
  return rows[0]!.n;
}

describe('ingest node definition', () => {
  it('registers, with examples that validate against its schemas', () => {
    expect(checkDefinition(ingestNode)).toEqual([]);
    const registry = new NodeRegistry();
    registry.register(ingestNode);
    expect(registry.get('ingest', 1)).toMatchObject({
      category: 'input',
      sideEffects: true,
      execution: { kind: 'activity' },
    });
  });
});

describe.each(dbTargets(inject('services')))('ingest node on $name', (target) => {
  const db: Db = openDb(target);
  afterAll(() => db.close());

  it('stores one event for an email delivered twice and retried, and reports the duplicates', async () => {
    const tag = unique();
    const eml = fixture('plain.eml').toString('utf8').replaceAll('CAF8x1lead', `CAF8x1lead${tag}`);
    const config = { sourceKind: 'email', sourceName: 'inbox' };
    const input = { raw: { content: eml, contentType: 'message/rfc822' } };
    const first = await runIngest(db, config, input);
    const retry = await runIngest(db, config, input, 2);
    // Redelivered by the mail server: new transport headers, same Message-ID.
    const redelivered = await runIngest(db, config, { raw: { content: `X-Delivery: 2\r\n${eml}` } });
    expect(first.duplicate).toBe(false);
    expect([retry.duplicate, redelivered.duplicate]).toEqual([true, true]);
    expect(new Set([first.event.id, retry.event.id, redelivered.event.id]).size).toBe(1);
    expect(first.event.idempotencyKey).toBe(`email:mid:CAF8x1lead${tag}.20240923091233@mail.acme-studio.com`);
    expect(await eventRows(db, `mid:CAF8x1lead${tag}.20240923091233@mail.acme-studio.com`)).toBe(1);
  });

  it('uses the explicit idempotency key when the input carries one', async () => {
    const key = `delivery-${unique()}`;
    const config = { sourceKind: 'webhook', sourceName: 'crm' };
    const a = await runIngest(db, config, { raw: { content: '{"message":"first"}', idempotencyKey: key } });
    const b = await runIngest(db, config, {
      raw: { content: '{"message":"second body, same key"}', idempotencyKey: key },
    });
    expect(b).toEqual({ event: a.event, duplicate: true });
    expect(a.event.payload).toEqual({ body: { message: 'first' }, text: 'first' });
  });

  it('links an ingested email to its client and project by sender', async () => {
    const tag = unique();
    const client = await createClient(db, { name: 'Bright Leaf', domains: [`brightleaf-${tag}.io`] });
    const project = await createProject(db, { clientId: client.id, name: 'Landing page' });
    const eml = fixture('html-only.eml')
      .toString('utf8')
      .replace('priya@brightleaf.io', `priya@brightleaf-${tag}.io`)
      .replace('feedback@email', `feedback-${tag}@email`);
    const { event } = await runIngest(db, { sourceKind: 'email' }, { raw: { content: eml } });
    expect(event).toMatchObject({ status: 'accepted', clientId: client.id, projectId: project.id });
  });

  it('stores a PDF document uploaded as base64, and a document version once', async () => {
    const pdf = fixture('sow.pdf');
    const uri = `doc://acme/${unique()}/sow.pdf`;
    const input = {
      raw: { content: pdf.toString('base64'), encoding: 'base64', contentType: 'application/pdf', uri, version: '1' },
    };
    const { event, duplicate } = await runIngest(db, { sourceKind: 'document', sourceName: 'uploads' }, input);
    expect(duplicate).toBe(false);
    expect(event).toMatchObject({ type: 'document.received', source: { kind: 'document', uri, version: '1' } });
    expect((event.payload as { text: string }).text).toContain('Statement of Work');
    expect((await getEventRaw(db, event.id))?.equals(pdf)).toBe(true);
    expect((await runIngest(db, { sourceKind: 'document' }, input)).duplicate).toBe(true);
    const v2 = await runIngest(db, { sourceKind: 'document' }, { raw: { ...input.raw, version: '2' } });
    expect(v2.duplicate).toBe(false);
  });

  it('stores malformed input as one rejected event that keeps the bytes', async () => {
    const content = `{"broken": ${unique()}`;
    const config = { sourceKind: 'webhook', sourceName: 'crm' };
    const { event } = await runIngest(db, config, { raw: { content, contentType: 'application/json' } });
    expect(event.status).toBe('rejected');
    expect(event.rejection).toEqual({
      reason: 'not JSON',
      errors: [{ pointer: '/content', message: expect.stringMatching(/^is not JSON/) }],
    });
    expect((await getEventRaw(db, event.id))?.toString('utf8')).toBe(content);
    expect((await runIngest(db, config, { raw: { content, contentType: 'application/json' } })).duplicate).toBe(true);
  });

  it('links an upload to the project the caller names, over sender and thread', async () => {
    const project = await createProject(db, { name: `Uploads ${unique()}` });
    const content = `# Meeting notes ${unique()}\n\nAgreed: two rounds of revisions.`;
    const stored = await ingestRaw(
      db,
      'document',
      { content, contentType: 'text/markdown' },
      { projectId: project.id },
    );
    expect(stored.event).toMatchObject({ projectId: project.id, payload: { format: 'markdown' } });
    expect(stored.idempotencyKey).toMatch(/^document:urn:sha256:[0-9a-f]{64}@[0-9a-f]{16}$/);
  });
});
