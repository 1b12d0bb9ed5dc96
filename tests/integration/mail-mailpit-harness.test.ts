import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../mail/connections.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';

// The mail tests' SMTP server is real mailpit: this checks the harness itself (SMTP in, the HTTP
// API out, attachments, threading headers, credentials accepted, delete) so a failing mail test
// points at Trellis, not at the harness.
describe('the mailpit test sink', () => {
  let mailpit: MailpitSink;
  beforeAll(async () => {
    mailpit = await startMailpit();
  });
  afterAll(() => mailpit?.stop());

  it('takes a reply with an attachment over SMTP and serves it back with its headers and raw source', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a tiny stand-in invoice\n%%EOF\n');
    const transport = smtpTransport(mailpit.smtp);
    try {
      await transport.sendMail({
        from: 'Op <op@example.test>',
        to: 'Ada <ada@client.test>',
        subject: 'Re: Invoice for March',
        messageId: '<reply-1@example.test>',
        inReplyTo: '<question-1@client.test>',
        references: ['<start-1@client.test>', '<question-1@client.test>'],
        text: 'Here is the invoice.\n',
        attachments: [{ filename: 'invoice-0001.pdf', content: pdf, contentType: 'application/pdf' }],
      });
    } finally {
      transport.close();
    }

    const [summary] = await mailpit.waitForMessages(1);
    expect(summary).toMatchObject({ Subject: 'Re: Invoice for March', MessageID: 'reply-1@example.test' });
    expect(summary?.To.map((to) => to.Address)).toEqual(['ada@client.test']);
    expect(summary?.Attachments).toBe(1);

    const message = await mailpit.message(summary!.ID);
    expect(message.From.Address).toBe('op@example.test');
    expect(message.Text.trim()).toBe('Here is the invoice.');
    expect(message.headers['In-Reply-To']).toEqual(['<question-1@client.test>']);
    expect(message.headers.References?.[0]).toBe('<start-1@client.test> <question-1@client.test>');
    expect(message.raw).toContain('Message-ID: <reply-1@example.test>');
    expect(message.raw).toContain('In-Reply-To: <question-1@client.test>');

    const [attachment] = await mailpit.attachments(summary!.ID);
    expect(attachment).toMatchObject({ FileName: 'invoice-0001.pdf', ContentType: 'application/pdf' });
    expect(attachment?.content.equals(pdf)).toBe(true);
  });

  it('accepts an account that authenticates with a user and password, and empties on deleteAll', async () => {
    const transport = smtpTransport({ ...mailpit.smtp, user: 'op@example.test', password: 'any-password' });
    try {
      await transport.sendMail({ from: 'op@example.test', to: 'bob@client.test', subject: 'Second', text: 'Hi' });
    } finally {
      transport.close();
    }
    const all = await mailpit.waitForMessages(2);
    expect(all.map((summary) => summary.Subject)).toContain('Second');
    await mailpit.deleteAll();
    expect(await mailpit.messages()).toEqual([]);
  });

  it('fails a wait with what it saw', async () => {
    await expect(mailpit.waitForMessages(1, 300)).rejects.toThrow('mailpit held 0 of 1 expected messages after 300 ms');
  });
});
