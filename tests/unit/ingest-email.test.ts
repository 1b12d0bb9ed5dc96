import { sha256Hex } from '../../lib/sha256.ts';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { fixture } from '../fixtures/ingest/support.ts';

const receivedAt = '2024-10-05T12:00:00.000Z';

async function parseEml(name: string, contentType = 'message/rfc822') {
  const bytes = fixture(name);
  return parseInput(
    'email',
    { content: bytes.toString('base64'), encoding: 'base64', contentType },
    { receivedAt, sourceName: 'inbox' },
  );
}

describe('ingest email parser', () => {
  it('reads headers, the text body and the Message-ID of a plain message', async () => {
    const { draft, identity, bytes } = await parseEml('plain.eml');
    expect(draft.status).toBeUndefined();
    expect(draft.type).toBe('email.received');
    expect(draft.actor).toEqual({ kind: 'person', name: 'Jane Doe', address: 'jane.doe@acme-studio.com' });
    expect(draft.source).toEqual({
      kind: 'email',
      uri: 'mid:CAF8x1lead.20240923091233@mail.acme-studio.com',
      version: sha256Hex(bytes).slice(0, 16),
    });
    expect(identity).toBe(draft.source.uri);
    // The sender's own offset is kept: their "tomorrow" is relative to their wall clock.
    expect(draft.occurredAt).toBe('2024-09-23T09:12:33+02:00');
    expect(draft.metadata).toMatchObject({ dateHeader: expect.stringContaining('+0200'), utcOffset: '+02:00' });
    expect(draft.confidence).toBe(1);
    expect(draft.threadId).toBe('CAF8x1lead.20240923091233@mail.acme-studio.com');
    expect(draft.payload.subject).toBe('Brand refresh for Acme Studio – quote?');
    // Quoted-printable decoded, soft line breaks joined.
    expect(draft.payload.text).toContain(
      'Our budget is around 6.000 € and we would need the final files by 15 November.',
    );
    expect(draft.payload.to).toEqual([{ name: 'Sam Carter', address: 'sam@northwind.studio' }]);
    expect(draft.payload.cc).toEqual([{ name: 'Tom Weber', address: 'tom.weber@acme-studio.com' }]);
    expect(draft.payload.attachments).toEqual([]);
    expect(draft.metadata).toMatchObject({ sourceName: 'inbox', guessed: [] });
  });

  it('derives the text from the HTML when a message has only HTML', async () => {
    const { draft } = await parseEml('html-only.eml');
    expect(draft.payload.text).toContain('The hero headline feels too long — can we try something shorter?');
    expect(draft.payload.text).toContain('Please use the green from our palette for the buttons.');
    expect(draft.payload.text).not.toMatch(/<\/?(p|li|b)>/);
    expect(draft.payload.html).toContain('<b>green</b>');
    expect(draft.actor.address).toBe('priya@brightleaf.io');
  });

  it('lists attachments with size and hash, and reads the text of PDF and text attachments', async () => {
    const { draft } = await parseEml('multipart-pdf.eml');
    const pdf = fixture('sow.pdf');
    expect(draft.payload.text).toMatch(/^Hi Sam,\n\nAttached is the signed statement of work/);
    expect(draft.payload.attachments).toEqual([
      {
        filename: 'SOW-acme-brand-refresh.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: sha256Hex(pdf),
        text: expect.stringContaining('Phase 2: Logo and type system, fixed fee EUR 3,200.'),
      },
      {
        filename: 'hours.csv',
        contentType: 'text/csv',
        size: 72,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        text: 'date,task,hours\r\n2024-09-23,Kick-off call,1.5\r\n2024-09-25,Moodboards,4\r\n',
      },
    ]);
  });

  it('takes the thread id from the root of References in a reply', async () => {
    const { draft } = await parseEml('reply-in-thread.eml');
    expect(draft.threadId).toBe('CAF8x1lead.20240923091233@mail.acme-studio.com');
    expect(draft.payload.inReplyTo).toBe('20240927.quote.1@northwind.studio');
    expect(draft.payload.references).toEqual([
      'CAF8x1lead.20240923091233@mail.acme-studio.com',
      '20240927.quote.1@northwind.studio',
    ]);
  });

  it('falls back to In-Reply-To for the thread when there is no References header', async () => {
    const raw =
      'From: a@client.example\r\nIn-Reply-To: <parent@x.example>\r\nMessage-ID: <child@x.example>\r\n\r\nok\r\n';
    const { draft } = await parseInput('email', { content: raw }, { receivedAt });
    expect(draft.threadId).toBe('parent@x.example');
  });

  it('uses the receipt time with lower confidence when there is no Date header', async () => {
    const { draft } = await parseEml('no-date.eml');
    expect(draft.occurredAt).toBe(receivedAt);
    expect(draft.confidence).toBe(0.8);
    expect(draft.metadata.guessed).toEqual(['occurredAtFromReceipt']);
  });

  it('does not trust an unreadable Date header', async () => {
    const raw = 'From: a@client.example\r\nDate: the day after tomorrow\r\nSubject: hi\r\n\r\nbody\r\n';
    const { draft } = await parseInput('email', { content: raw }, { receivedAt });
    expect(draft.occurredAt).toBe(receivedAt);
    expect(draft.metadata.guessed).toEqual(['occurredAtFromReceipt']);
  });

  it('accepts a message without a sender at lower confidence', async () => {
    const { draft } = await parseEml('no-sender.eml');
    expect(draft.status).toBeUndefined();
    expect(draft.actor).toEqual({ kind: 'person' });
    expect(draft.confidence).toBe(0.7);
    expect(draft.metadata.guessed).toEqual(['actorUnknown']);
  });

  it('reads the sender from Reply-To when From is missing', async () => {
    const raw =
      'Reply-To: Ana <ana@client.example>\r\nSubject: hi\r\nDate: Tue, 01 Oct 2024 10:00:00 +0000\r\n\r\nbody\r\n';
    const { draft } = await parseInput('email', { content: raw }, { receivedAt });
    expect(draft.actor).toEqual({ kind: 'person', name: 'Ana', address: 'ana@client.example' });
    expect(draft.confidence).toBe(0.9);
  });

  it('names the message by a content hash when it has no Message-ID', async () => {
    const raw = 'From: a@client.example\r\nSubject: hi\r\n\r\nbody\r\n';
    const { draft, identity } = await parseInput('email', { content: raw }, { receivedAt });
    expect(draft.source.uri).toBe(`urn:sha256:${sha256Hex(Buffer.from(raw))}`);
    expect(identity).toBe(draft.source.uri);
    expect(draft.threadId).toBeUndefined();
  });

  it('rejects garbage bytes, naming the missing headers', async () => {
    const { draft, bytes } = await parseEml('garbage.eml');
    expect(bytes.equals(fixture('garbage.eml'))).toBe(true);
    expect(draft.status).toBe('rejected');
    expect(draft.confidence).toBe(0);
    expect(draft.rejection).toEqual({
      reason: 'not an RFC 822 message',
      errors: [{ pointer: '/content/headers', message: expect.stringContaining('no header fields') }],
    });
    expect(draft.source.uri).toBe(`urn:sha256:${sha256Hex(bytes)}`);
  });

  it('rejects plain prose that has no header section', async () => {
    const { draft } = await parseInput('email', { content: 'Call me back tomorrow.\nFrom: Bob' }, { receivedAt });
    expect(draft.rejection?.errors[0]?.pointer).toBe('/content/headers');
  });

  it('rejects a content type that is not a message', async () => {
    const { draft } = await parseEml('plain.eml', 'image/png');
    expect(draft.status).toBe('rejected');
    expect(draft.rejection?.errors).toEqual([
      { pointer: '/contentType', message: 'is image/png; an email source takes message/rfc822' },
    ]);
  });
});
