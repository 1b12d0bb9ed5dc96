import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';

// The mail tests' IMAP server is real Dovecot: this checks the harness itself (APPEND, folders,
// sessions, kick, restart) so a failing mail test points at Trellis, not at the harness.
describe('the Dovecot test server', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => removeDovecot(dovecot));

  it('takes messages by APPEND and serves them back with their UIDs', async () => {
    const raw =
      'From: ada@client.test\r\nTo: op@example.test\r\nSubject: Hello\r\nMessage-ID: <h1@client.test>\r\n\r\nHi\r\n';
    const uid = await dovecot.append(raw);
    const messages = await dovecot.messages();
    expect(messages.map((m) => m.uid)).toContain(uid);
    expect(messages.find((m) => m.uid === uid)?.source.toString()).toContain('Message-ID: <h1@client.test>');
  });

  it('counts open sessions, drops them on kick, and keeps the mail through a restart', async () => {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await client.connect();
    expect(dovecot.sessions()).toBe(1);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    dovecot.kick();
    await closed;
    expect(dovecot.sessions()).toBe(0);
    await dovecot.stop();
    await dovecot.start();
    expect((await dovecot.messages()).length).toBeGreaterThan(0);
    expect((await dovecot.messages('Sent')).length).toBe(0);
  });
});
