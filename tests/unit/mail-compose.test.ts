import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  composeReply,
  deterministicMessageId,
  quoteOriginal,
  replySubject,
  writersTime,
} from '../../mail/compose/index.ts';

const original = {
  subject: 'Re: Kitchen redesign',
  text: 'Can you send the invoice?\n\nThanks,\nJane',
  from: [{ name: 'Jane Doe', address: 'jane@client.example' }],
  messageId: 'm2@client.example',
  references: ['m0@studio.example', 'm1@client.example'],
  occurredAt: '2026-12-01T09:30:00.000Z',
};
const from = { address: 'ada@studio.example', displayName: 'Ada Studio' };

describe('composing a reply', () => {
  it('threads under the original, quotes it, and has a Message-ID derived from the key', async () => {
    const composed = await composeReply({
      from,
      original,
      body: 'Here it is.',
      idempotencyKey: 'wf-1/send',
      date: new Date('2026-12-02T10:00:00Z'),
    });
    const parsed = await simpleParser(composed.raw);
    expect(parsed.subject).toBe('Re: Kitchen redesign');
    expect(parsed.inReplyTo).toBe('<m2@client.example>');
    expect(parsed.references).toEqual(['<m0@studio.example>', '<m1@client.example>', '<m2@client.example>']);
    expect(parsed.messageId).toBe(deterministicMessageId('wf-1/send', from.address));
    expect(composed.messageId).toMatch(/^<[0-9a-f]{32}@studio\.example>$/);
    expect(parsed.from?.value).toEqual([{ name: 'Ada Studio', address: 'ada@studio.example' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { name: 'Jane Doe', address: 'jane@client.example' },
    ]);
    expect(parsed.text).toContain(
      'Here it is.\n\nOn Tue, 1 Dec 2026 09:30 +0000, Jane Doe <jane@client.example> wrote:\n> Can you send the invoice?\n>\n> Thanks,\n> Jane',
    );
    expect(composed.envelope).toEqual({ from: 'ada@studio.example', to: ['jane@client.example'] });
  });

  it('answers Reply-To over From, and attaches files', async () => {
    const composed = await composeReply({
      from,
      original: { ...original, replyTo: [{ address: 'billing@client.example' }] },
      body: 'Attached.',
      idempotencyKey: 'k',
      date: new Date(),
      attachments: [
        { filename: 'INV-2026-0001.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 test') },
      ],
    });
    const parsed = await simpleParser(composed.raw);
    expect(composed.envelope.to).toEqual(['billing@client.example']);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['INV-2026-0001.pdf', 'application/pdf', '%PDF-1.4 test'],
    ]);
  });

  it('never stacks "Re:", and quotes without a date when there is none', () => {
    expect(replySubject('RE: hello')).toBe('RE: hello');
    expect(replySubject('hello')).toBe('Re: hello');
    expect(quoteOriginal('a\nb', { address: 'x@y.z' })).toBe('x@y.z wrote:\n> a\n> b');
    // The writer's own clock, as the event keeps the Date header's offset: never shifted to UTC.
    expect(writersTime('2026-12-07T09:12:00+01:00')).toBe('Mon, 7 Dec 2026 09:12 +0100');
    expect(writersTime('2026-12-07T23:40:00+13:00')).toBe('Mon, 7 Dec 2026 23:40 +1300');
    expect(writersTime('2026-12-06T19:05:00-05:00')).toBe('Sun, 6 Dec 2026 19:05 -0500');
    expect(quoteOriginal('a', { address: 'x@y.z' }, '2026-12-07T23:40:00+13:00')).toBe(
      'On Mon, 7 Dec 2026 23:40 +1300, x@y.z wrote:\n> a',
    );
  });

  it('refuses a reply with nobody to send it to', async () => {
    await expect(
      composeReply({ from, original: { ...original, from: [] }, body: 'x', idempotencyKey: 'k', date: new Date() }),
    ).rejects.toThrow(/no recipient/);
  });
});
