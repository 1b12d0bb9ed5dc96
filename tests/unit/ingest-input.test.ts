import { describe, expect, it } from 'vitest';
import { ingestKey } from '../../nodes/ingest/idempotency.ts';
import { confidenceFor } from '../../nodes/ingest/parse/confidence.ts';
import { parseInput } from '../../nodes/ingest/parse/index.ts';

const context = { receivedAt: '2024-10-05T12:00:00.000Z', sourceName: 'inbox' };

describe('ingest input decoding', () => {
  it('rejects empty content for every source kind', async () => {
    for (const kind of ['email', 'webhook', 'form', 'document'] as const) {
      const { draft } = await parseInput(kind, { content: '  \n' }, context);
      expect(draft.status).toBe('rejected');
      expect(draft.rejection).toEqual({
        reason: 'empty input',
        errors: [{ pointer: '/content', message: 'is empty' }],
      });
    }
  });

  it('rejects content that claims base64 but is not, and keeps the text as given', async () => {
    const content = 'this is *not* base64!';
    const { draft, bytes } = await parseInput('document', { content, encoding: 'base64' }, context);
    expect(draft.rejection?.errors).toEqual([{ pointer: '/content', message: 'is not valid base64' }]);
    expect(bytes.toString('utf8')).toBe(content);
  });

  it('decodes base64 with line breaks', async () => {
    const text = 'Meeting notes: ship the logo on Friday.';
    const content = Buffer.from(text)
      .toString('base64')
      .replace(/(.{8})/g, '$1\r\n');
    const { draft, bytes } = await parseInput('document', { content, encoding: 'base64' }, context);
    expect(bytes.toString('utf8')).toBe(text);
    expect(draft.payload.text).toBe(text);
  });
});

describe('ingest idempotency key', () => {
  it('prefers the explicit key, else kind and identity', () => {
    expect(ingestKey('email', 'mid:a@b', 'delivery-7')).toBe('delivery-7');
    expect(ingestKey('email', 'mid:a@b')).toBe('email:mid:a@b');
  });

  it('hashes identities too long for the column', () => {
    const key = ingestKey('document', `doc://${'x'.repeat(400)}@v1`);
    expect(key).toMatch(/^document:sha256:[0-9a-f]{64}$/);
    expect(ingestKey('document', `doc://${'x'.repeat(400)}@v1`)).toBe(key);
  });
});

describe('ingest confidence', () => {
  it('is 1 without guesses and falls by each guess, never below 0.1', () => {
    expect(confidenceFor([])).toBe(1);
    expect(confidenceFor(['occurredAtFromReceipt'])).toBe(0.8);
    expect(confidenceFor(['occurredAtFromReceipt', 'actorUnknown'])).toBe(0.5);
    expect(confidenceFor(['noTextLayer', 'actorUnknown', 'occurredAtFromReceipt'])).toBe(0.1);
  });
});
