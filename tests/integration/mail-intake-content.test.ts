import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listening, mail, startIntakeStack, waitFor, type IntakeStack } from '../support/mail/intake-stack.ts';

// What the intake marks: mail a machine sent (auto-replies, bounces, bulk) is stored but carries
// `automated`, so that nothing answers it; a 20 MB attachment and a broken MIME message are stored
// and flagged, and block nothing behind them.

interface StoredEmail {
  subject: string;
  automated?: { kind: string; evidence: string };
  attachments: { filename: string; size: number; text?: string }[];
  text: string;
  flags?: string[];
  status: string;
}

describe('mail intake: automated mail, big attachments and broken MIME', () => {
  const services = inject('services');
  let stack: IntakeStack;
  let accountId = '';
  const stored = async (subject: string): Promise<StoredEmail | undefined> => {
    const { rows } = await stack.h.db.query<{ payload: StoredEmail; metadata: { flags?: string[] }; status: string }>(
      `select payload, metadata, status from events where source_name = $1 and payload->>'subject' = $2`,
      [accountId, subject],
    );
    const row = rows[0];
    return row && { ...row.payload, ...(row.metadata.flags ? { flags: row.metadata.flags } : {}), status: row.status };
  };
  const arrived = (subject: string, timeoutMs = 30_000) =>
    waitFor(
      `the event "${subject}"`,
      () => stored(subject),
      (event) => event !== undefined,
      timeoutMs,
    ).then((e) => e!);

  beforeAll(async () => {
    stack = await startIntakeStack(services, { worker: false });
    accountId = await stack.account('marks', { maxAttachmentBytes: 1024 * 1024 });
    await stack.wire(accountId);
    await stack.intake();
    await listening(stack.h, accountId);
  });
  afterAll(() => stack?.close());

  it("marks auto-replies, bounces and bulk mail with the header that says so, and leaves a person's mail unmarked", async () => {
    await stack.dovecot.append(mail('Out of office', { headers: ['Auto-Submitted: auto-replied'] }));
    await stack.dovecot.append(mail('Re: holiday', { headers: ['X-Autoreply: yes'] }));
    await stack.dovecot.append(mail('Newsletter', { headers: ['Precedence: bulk'] }));
    await stack.dovecot.append(mail('Human answer', { headers: ['Auto-Submitted: no'] }));
    const boundary = 'dsn-boundary';
    await stack.dovecot.append(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.client.test>',
        'To: op@example.test',
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${crypto.randomUUID()}@mx.client.test>`,
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        'MIME-Version: 1.0',
        '',
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.client.test',
        '',
        'Final-Recipient: rfc822; nobody@client.test',
        'Action: failed',
        'Status: 5.1.1',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    expect((await arrived('Out of office')).automated).toEqual({
      kind: 'auto-reply',
      evidence: 'Auto-Submitted: auto-replied',
    });
    expect((await arrived('Re: holiday')).automated).toEqual({ kind: 'auto-reply', evidence: 'X-Autoreply: yes' });
    expect((await arrived('Newsletter')).automated).toEqual({ kind: 'bulk', evidence: 'Precedence: bulk' });
    expect((await arrived('Human answer')).automated).toBeUndefined();
    const bounce = await arrived('Undelivered Mail Returned to Sender');
    expect(bounce.automated?.kind).toBe('bounce');
    expect(bounce.automated?.evidence).toMatch(/^Content-Type: multipart\/report/);
  });

  it('stores a message with a 20 MB attachment (listed, not read) and a broken MIME message, flagged, and takes the next one', async () => {
    const boundary = 'big-boundary';
    const big = Buffer.alloc(20 * 1024 * 1024, 'a')
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    await stack.dovecot.append(
      [
        'From: Ada Client <ada@client.test>',
        'To: op@example.test',
        'Subject: The big scan',
        `Message-ID: <${crypto.randomUUID()}@client.test>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'The scan is attached.',
        `--${boundary}`,
        'Content-Type: text/plain; name="scan.txt"',
        'Content-Disposition: attachment; filename="scan.txt"',
        'Content-Transfer-Encoding: base64',
        '',
        big,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    await stack.dovecot.append(
      [
        'From: Ada Client <ada@client.test>',
        'To: op@example.test',
        'Subject: Broken parts',
        `Message-ID: <${crypto.randomUUID()}@client.test>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="declared"',
        '',
        '--actual',
        'Content-Type: text/plain',
        '',
        'The text survives a wrong boundary.',
        '--actual--',
        '',
      ].join('\r\n'),
    );
    await stack.dovecot.append(mail('After the big ones'));
    const scan = await arrived('The big scan', 90_000);
    expect(scan.status).toBe('accepted');
    expect(scan.flags).toContain('oversized-attachment');
    expect(scan.attachments).toHaveLength(1);
    expect(scan.attachments[0]).toMatchObject({ filename: 'scan.txt', size: 20 * 1024 * 1024 });
    expect(scan.attachments[0]?.text).toBeUndefined();
    const broken = await arrived('Broken parts', 60_000);
    expect(broken.flags).toContain('malformed-mime');
    expect(broken.text).toContain('The text survives a wrong boundary.');
    await arrived('After the big ones', 60_000);
  }, 180_000);
});
