import { describe, expect, it } from 'vitest';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { fixture } from '../fixtures/ingest/support.ts';

const receivedAt = '2024-10-05T12:00:00.000Z';

describe('ingest webhook parser', () => {
  it('keeps the whole body and names the event by source and its own id', async () => {
    const content = fixture('webhook-stripe-invoice-paid.json').toString('utf8');
    const { draft, identity } = await parseInput(
      'webhook',
      { content, contentType: 'application/json; charset=utf-8' },
      { receivedAt, sourceName: 'stripe' },
    );
    expect(draft.type).toBe('webhook.received');
    expect(draft.actor).toEqual({ kind: 'system', name: 'stripe' });
    expect(draft.source.uri).toBe('webhook://stripe/evt_1Q5ZtR2eZvKYlo2C8e3xWq1b');
    expect(identity).toBe(draft.source.uri);
    expect(draft.payload.body).toEqual(JSON.parse(content));
    // `created` is Unix seconds.
    expect(draft.occurredAt).toBe('2024-10-01T10:00:00.000Z');
    expect(draft.confidence).toBe(1);
    expect(draft.metadata).toMatchObject({ sourceName: 'stripe', eventType: 'invoice.paid' });
  });

  it('names a body without an id by its hash and dates it by delivery, slightly less sure', async () => {
    const { draft } = await parseInput(
      'webhook',
      { content: '{"message":"New signup: ana@client.example"}' },
      { receivedAt },
    );
    expect(draft.source.uri).toMatch(/^webhook:\/\/default\/sha256:[0-9a-f]{64}$/);
    expect(draft.occurredAt).toBe(receivedAt);
    expect(draft.confidence).toBe(0.95);
    expect(draft.payload.text).toBe('New signup: ana@client.example');
  });

  it.each([
    ['{"id": 1,', /^is not JSON: /],
    ['[1, 2, 3]', /^must be a JSON object, got an array$/],
    ['"hello"', /^must be a JSON object, got a string$/],
    ['null', /^must be a JSON object, got null$/],
  ])('rejects %s, naming /content', async (content, message) => {
    const { draft } = await parseInput('webhook', { content }, { receivedAt, sourceName: 'crm' });
    expect(draft.status).toBe('rejected');
    expect(draft.rejection?.errors).toEqual([{ pointer: '/content', message: expect.stringMatching(message) }]);
  });

  it('rejects a body that is not JSON by its content type', async () => {
    const { draft } = await parseInput(
      'webhook',
      { content: '<xml/>', contentType: 'application/xml' },
      { receivedAt },
    );
    expect(draft.rejection?.errors[0]).toEqual({
      pointer: '/contentType',
      message: 'is application/xml; a webhook source takes application/json',
    });
  });
});

describe('ingest form parser', () => {
  it('keeps the fields and reads the sender from the email field', async () => {
    const content = fixture('form-contact.json').toString('utf8');
    const { draft } = await parseInput('form', { content }, { receivedAt, sourceName: 'site' });
    expect(draft.type).toBe('form.submitted');
    expect(draft.actor).toEqual({ kind: 'person', name: 'Luis Ortega', address: 'luis@ortegabakery.com' });
    expect(draft.payload.fields).toEqual(JSON.parse(content));
    expect(draft.payload.subject).toBe('Website for our bakery');
    expect(draft.payload.text).toContain('budget: 2500\nservices: web design, copywriting');
    expect(draft.source.uri).toMatch(/^form:\/\/site\/sha256:/);
    expect(draft.confidence).toBe(1);
  });

  it('reads urlencoded fields, repeated names as lists', async () => {
    const content = 'first_name=Ana&last_name=Silva&e-mail=ana%40silva.example&topic=logo&topic=web&submission_id=F-88';
    const { draft } = await parseInput(
      'form',
      { content, contentType: 'application/x-www-form-urlencoded' },
      { receivedAt, sourceName: 'site' },
    );
    expect(draft.payload.fields).toEqual({
      first_name: 'Ana',
      last_name: 'Silva',
      'e-mail': 'ana@silva.example',
      topic: ['logo', 'web'],
      submission_id: 'F-88',
    });
    expect(draft.actor).toEqual({ kind: 'person', name: 'Ana Silva', address: 'ana@silva.example' });
    expect(draft.source.uri).toBe('form://site/F-88');
  });

  it('accepts a form without an email at lower confidence', async () => {
    const { draft } = await parseInput('form', { content: '{"name":"Bo","message":"call me"}' }, { receivedAt });
    expect(draft.status).toBeUndefined();
    expect(draft.confidence).toBe(0.7);
    expect(draft.metadata.guessed).toEqual(['actorUnknown']);
  });

  it('rejects nested fields, naming each one', async () => {
    const content = JSON.stringify({ name: 'Bo', address: { city: 'Berlin' }, 'a/b': [{ x: 1 }] });
    const { draft } = await parseInput('form', { content }, { receivedAt });
    expect(draft.status).toBe('rejected');
    expect(draft.rejection?.errors.map((error) => error.pointer)).toEqual(['/content/address', '/content/a~1b']);
  });

  it('rejects an empty form and multipart bodies', async () => {
    expect((await parseInput('form', { content: '{}' }, { receivedAt })).draft.rejection?.errors).toEqual([
      { pointer: '/content', message: 'has no fields' },
    ]);
    const multipart = await parseInput(
      'form',
      { content: '--x\r\n', contentType: 'multipart/form-data; boundary=x' },
      { receivedAt },
    );
    expect(multipart.draft.rejection?.errors[0]?.pointer).toBe('/contentType');
  });
});
