import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testImap, testSmtp } from '../../mail/connection-test.ts';
import type { ImapSecrets } from '../../mail/connections.ts';
import { freePort } from '../../services/ports.ts';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startMailpit, type MailpitSink } from '../support/mail/mailpit.ts';

// The connection test against a real Dovecot: each way a setting can be wrong comes back as its
// code with a message naming what to change, and never with the password.
describe('mail connection test', () => {
  let dovecot: Dovecot;
  let mailpit: MailpitSink;
  let settings: ImapSecrets;
  beforeAll(async () => {
    [dovecot, mailpit] = await Promise.all([startDovecot(), startMailpit()]);
    settings = {
      host: dovecot.host,
      port: dovecot.port,
      security: 'none',
      user: dovecot.user,
      password: dovecot.password,
    };
  });
  afterAll(async () => {
    await Promise.all([removeDovecot(dovecot), mailpit?.stop()]);
  });

  it('logs in and lists the folders, the \\Sent one and IDLE', async () => {
    const result = await testImap(settings);
    expect(result).toEqual({
      ok: true,
      details: { folders: expect.arrayContaining(['INBOX', 'Sent', 'Archive']), sentFolder: 'Sent', idle: true },
    });
  });

  it('says auth for a wrong password, mentions app passwords, and never repeats the password', async () => {
    const wrong = 'This-is-the-wrong-password-42';
    const result = await testImap({ ...settings, password: wrong });
    expect(result).toMatchObject({ ok: false, code: 'auth', message: expect.stringMatching(/app password/) });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('says unreachable for a closed port, naming host:port', async () => {
    const port = await freePort();
    const result = await testImap({ ...settings, port });
    expect(result).toMatchObject({ ok: false, code: 'unreachable' });
    expect(!result.ok && result.message).toContain(`127.0.0.1:${port}`);
  });

  it('says tls for TLS expected on a plain port, and for STARTTLS the server does not offer', async () => {
    const tls = await testImap({ ...settings, security: 'tls' });
    expect(tls).toMatchObject({ ok: false, code: 'tls', message: expect.stringMatching(/starttls/i) });
    const starttls = await testImap({ ...settings, security: 'starttls' });
    expect(starttls).toMatchObject({
      ok: false,
      code: 'tls',
      message: expect.stringMatching(/does not offer STARTTLS/),
    });
  });

  it('says folder for a missing watched or Sent folder, naming it and listing those that exist', async () => {
    const result = await testImap({ ...settings, folders: ['INBOX', 'Clients'], sentFolder: 'Sent Items' });
    expect(result).toMatchObject({ ok: false, code: 'folder' });
    const message = result.ok ? '' : result.message;
    expect(message).toContain('"Clients"');
    expect(message).toContain('"Sent Items"');
    expect(message).toMatch(/INBOX, Sent, Archive/);
  });

  it('connects to an SMTP server and sends nothing', async () => {
    expect(await testSmtp(mailpit.smtp)).toEqual({ ok: true, details: { authenticated: false } });
    expect(await mailpit.messages()).toEqual([]);
  });

  it('says tls for SMTP with TLS or STARTTLS against a plain server', async () => {
    const tls = await testSmtp({ ...mailpit.smtp, security: 'tls' });
    expect(tls).toMatchObject({ ok: false, code: 'tls', message: expect.stringMatching(/starttls/i) });
    const starttls = await testSmtp({ ...mailpit.smtp, security: 'starttls' });
    expect(starttls).toMatchObject({ ok: false, code: 'tls' });
  });

  it('says tls for an untrusted certificate, and for a plain connection to a TLS-only port', async () => {
    // A TLS listener with a fresh self-signed certificate, greeting like an IMAP server once the handshake is done.
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
        '-subj',
        '/CN=mail.test',
        '-days',
        '1',
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
      ]),
      {
        stdio: 'ignore',
      },
    );
    const server = tls.createServer(
      { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) },
      (socket) => {
        socket.on('error', () => undefined);
        socket.write('* OK ready\r\n');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const endpoint = { host: '127.0.0.1', port, user: 'op', password: 'Cert-test-pw' };
      const [imapCert, smtpCert, imapPlain, smtpPlain] = await Promise.all([
        testImap({ ...endpoint, security: 'tls' }),
        testSmtp({ ...endpoint, security: 'tls' }),
        testImap({ ...endpoint, security: 'none' }),
        testSmtp({ ...endpoint, security: 'starttls' }),
      ]);
      for (const result of [imapCert, smtpCert])
        expect(result).toMatchObject({
          ok: false,
          code: 'tls',
          message: expect.stringMatching(/certificate.*SELF_SIGNED/),
        });
      for (const result of [imapPlain, smtpPlain])
        expect(result).toMatchObject({
          ok: false,
          code: 'tls',
          message: expect.stringMatching(/expects TLS from the first byte/),
        });
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says unreachable for an SMTP port nothing listens on', async () => {
    const port = await freePort();
    const result = await testSmtp({ host: '127.0.0.1', port, security: 'starttls', user: 'op', password: 'smtp-pw-x' });
    expect(result).toMatchObject({ ok: false, code: 'unreachable', message: expect.stringContaining(`:${port}`) });
    expect(JSON.stringify(result)).not.toContain('smtp-pw-x');
  });

  it('says other for a port that speaks IMAP when SMTP is expected', async () => {
    const result = await testSmtp({ host: dovecot.host, port: dovecot.port, security: 'none' });
    expect(result).toMatchObject({ ok: false, code: 'other', message: expect.stringMatching(/SMTP server/) });
  });
});
