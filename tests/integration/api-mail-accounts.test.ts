import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isSealed } from '../../security/envelope.ts';
import { getMailAccountSecrets } from '../../store/mail-accounts.ts';
import { createToken, type TokenScope } from '../../store/tokens.ts';
import { removeDovecot, startDovecot, type Dovecot } from '../support/mail/dovecot.ts';
import { startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 20, part 1: mail accounts through the HTTP API against the real server and database.
// Passwords go in and are never answered; they are sealed in their columns; scopes hold.

describe('mail accounts API', () => {
  const services = inject('services');
  let server: IngestServer;
  let dovecot: Dovecot;
  let sequence = 0;
  const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${sequence++}`;
  const imapPassword = 'imap-Pa55word-never-shown';
  const smtpPassword = 'smtp-Pa55word-never-shown';

  beforeAll(async () => {
    [server, dovecot] = await Promise.all([
      startIngestServer(services),
      startDovecot({ users: [{ user: 'op@example.test', password: imapPassword }] }),
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await removeDovecot(dovecot);
  });

  const json = (method: string, body: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  const accountInput = (id: string) => ({
    id,
    displayName: 'Ada Ops',
    address: 'op@example.test',
    imap: { host: dovecot.host, port: dovecot.port, security: 'none', user: dovecot.user, password: imapPassword },
    smtp: { host: '127.0.0.1', port: 2525, security: 'starttls', user: 'op@example.test', password: smtpPassword },
  });

  const create = (id: string, input: object = accountInput(id)) =>
    server.api('/api/mail/accounts', json('POST', input));

  const tokenWith = async (scopes: TokenScope[]) =>
    (await createToken(server.h.db, `mail ${scopes[0]}`, scopes)).plaintext;

  it('creates, lists and gets an account without ever answering a password', async () => {
    const id = uniqueId('acct');
    const created = await create(id);
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    const account = JSON.parse(createdText) as Record<string, unknown>;
    expect(account).toMatchObject({
      id,
      address: 'op@example.test',
      imap: { host: dovecot.host, hasPassword: true },
      smtp: { hasPassword: true },
      imapState: 'unknown',
      smtpState: 'unknown',
    });
    const listed = await (await server.api('/api/mail/accounts')).text();
    const got = await (await server.api(`/api/mail/accounts/${id}`)).text();
    for (const answer of [createdText, listed, got]) {
      expect(answer).not.toContain(imapPassword);
      expect(answer).not.toContain(smtpPassword);
      expect(answer).not.toMatch(/"password"/);
    }
    expect((JSON.parse(listed) as { accounts: { id: string }[] }).accounts.map((a) => a.id)).toContain(id);
    expect(JSON.parse(got)).toEqual(account);
  });

  it("takes an operator's upload to an account's name as that account's mail; anonymous callers learn nothing", async () => {
    const id = uniqueId('upload');
    expect((await create(id, { id, address: 'op@example.test', smtp: accountInput(id).smtp })).status).toBe(201);
    const raw = [
      'From: Ada Client <ada@client.test>',
      'To: op@example.test',
      'Subject: Upload to a mail account',
      `Message-ID: <${id}@client.test>`,
      'Date: Mon, 07 Dec 2026 09:00:00 +0100',
      '',
      'Could you send the revised quote by Friday?',
      '',
    ].join('\r\n');
    const uploaded = await server.api(`/api/ingest/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: raw,
    });
    const answer = (await uploaded.json()) as { eventId?: string };
    expect(uploaded.status, JSON.stringify(answer)).toBeLessThan(300);
    const { rows } = await server.h.db.query<{ source: string; subject: string }>(
      `select source_name as source, payload->>'subject' as subject from events where id = $1`,
      [answer.eventId],
    );
    expect(rows[0]).toEqual({ source: id, subject: 'Upload to a mail account' });
    // Without a token, a mail account's name answers like any unknown source: a bad signature.
    const anonymous = await fetch(`${server.base}/api/ingest/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-trellis-timestamp': '1', 'x-trellis-signature': 'v1=00' },
      body: raw,
    });
    const unknown = await fetch(`${server.base}/api/ingest/no-such-${id}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-trellis-timestamp': '1', 'x-trellis-signature': 'v1=00' },
      body: raw,
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe(await unknown.text());
  });

  it('keeps only sealed passwords in the database', async () => {
    const id = uniqueId('sealed');
    expect((await create(id)).status).toBe(201);
    const { rows } = await server.h.db.query<{ imap_password: string; smtp_password: string; imap: unknown }>(
      'select imap_password, smtp_password, imap from mail_accounts where id = $1',
      [id],
    );
    const row = rows[0]!;
    expect(isSealed(row.imap_password)).toBe(true);
    expect(isSealed(row.smtp_password)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(imapPassword);
    expect(JSON.stringify(row)).not.toContain(smtpPassword);
  });

  it('patches settings, keeps a password not given, and removes a direction set to null', async () => {
    const id = uniqueId('patch');
    expect((await create(id)).status).toBe(201);
    const moved = { host: dovecot.host, port: dovecot.port, security: 'none', user: dovecot.user, folders: ['INBOX'] };
    const patched = await server.api(`/api/mail/accounts/${id}`, json('PATCH', { imap: moved, smtp: null }));
    const text = await patched.text();
    expect(patched.status, text).toBe(200);
    expect(text).not.toContain(imapPassword);
    expect(JSON.parse(text)).toMatchObject({ imap: { folders: ['INBOX'], hasPassword: true }, smtpState: 'disabled' });
    expect(JSON.parse(text)).not.toHaveProperty('smtp');
    const secrets = await getMailAccountSecrets(server.h.db, server.app.services.keyring, id);
    expect(secrets?.imap?.password).toBe(imapPassword);
    expect(secrets?.smtp).toBeUndefined();

    const renamed = await server.api(`/api/mail/accounts/${id}`, json('PATCH', { displayName: 'Ada' }));
    expect(((await renamed.json()) as { displayName: string }).displayName).toBe('Ada');
    expect((await server.api('/api/mail/accounts/nobody', json('PATCH', { displayName: 'x' }))).status).toBe(404);
  });

  it('tests a stored account, records the state, and never echoes the password', async () => {
    const id = uniqueId('test');
    expect((await create(id)).status).toBe(201);
    const tested = await server.api(`/api/mail/accounts/${id}/test`, json('POST', { direction: 'imap' }));
    const report = (await tested.json()) as Record<string, unknown>;
    expect(tested.status, JSON.stringify(report)).toBe(200);
    expect(report.imap).toMatchObject({ ok: true, details: { folders: expect.arrayContaining(['INBOX']) } });
    expect(report).not.toHaveProperty('smtp');
    expect(((await (await server.api(`/api/mail/accounts/${id}`)).json()) as { imapState: string }).imapState).toBe(
      'ok',
    );

    const wrong = 'Wr0ng-password-for-this-test';
    const imap = { host: dovecot.host, port: dovecot.port, security: 'none', user: dovecot.user, password: wrong };
    await server.api(`/api/mail/accounts/${id}`, json('PATCH', { imap }));
    const failing = await (await server.api(`/api/mail/accounts/${id}/test`, { method: 'POST' })).text();
    expect(failing).not.toContain(wrong);
    expect(JSON.parse(failing)).toMatchObject({ imap: { ok: false, code: 'auth' } });
    const account = await (await server.api(`/api/mail/accounts/${id}`)).text();
    expect(JSON.parse(account)).toMatchObject({
      imapState: 'failing',
      imapError: expect.stringMatching(/app password/),
    });
    expect(account).not.toContain(wrong);

    const health = await (await server.api('/api/health')).text();
    expect(JSON.parse(health)).toMatchObject({
      mail: { failing: expect.arrayContaining([expect.objectContaining({ account: id, direction: 'imap' })]) },
    });
    expect(health).not.toContain(wrong);
    const anonymous = (await (await fetch(`${server.base}/api/health`)).json()) as object;
    expect(Object.keys(anonymous)).toEqual(['ok']);
  });

  it('tests unsaved settings with an act token', async () => {
    const act = await tokenWith(['act']);
    const imap = { host: dovecot.host, port: dovecot.port, security: 'none', user: dovecot.user, password: 'nope-1' };
    const answer = await fetch(`${server.base}/api/mail/accounts/test`, {
      ...json('POST', { imap, smtp: { host: '127.0.0.1', port: 1, security: 'none' } }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${act}` },
    });
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      imap: { ok: false, code: 'auth' },
      smtp: { ok: false, code: 'unreachable' },
    });
    expect(text).not.toContain('nope-1');
  });

  it('deletes an account, and answers 404 afterwards', async () => {
    const id = uniqueId('gone');
    expect((await create(id)).status).toBe(201);
    expect((await server.api(`/api/mail/accounts/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.api(`/api/mail/accounts/${id}`)).status).toBe(404);
    expect((await server.api(`/api/mail/accounts/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a taken id, and an id a webhook source already uses, naming /id', async () => {
    const id = uniqueId('taken');
    expect((await create(id)).status).toBe(201);
    const again = await create(id);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/id');
    const { name } = await server.source('hooked');
    const clash = await create(name);
    expect(clash.status).toBe(409);
    const body = (await clash.json()) as { message: string; errors: { pointer: string }[] };
    expect(body.message).toMatch(/webhook source/);
    expect(body.errors[0]?.pointer).toBe('/id');
    // The other way round too: a webhook source may not take an account's name.
    const taken = await server.api('/api/webhook-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: id, kind: 'email' }),
    });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/name');
  });

  it('refuses bad input with 400 naming the field', async () => {
    const id = uniqueId('bad');
    const badPort = accountInput(id);
    const cases: [object, string][] = [
      [{ ...badPort, imap: { ...badPort.imap, port: 70000 } }, '/imap/port'],
      [{ ...badPort, imap: { ...badPort.imap, security: 'ssl' } }, '/imap/security'],
      [{ ...badPort, address: 'not an address' }, '/address'],
      [{ ...badPort, id: 'Has Spaces' }, '/id'],
      [{ ...badPort, smtp: { ...badPort.smtp, password: '' } }, '/smtp/password'],
    ];
    for (const [input, pointer] of cases) {
      const answer = await create(id, input);
      const body = (await answer.json()) as { errors: { pointer: string }[] };
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(body.errors.map((e) => e.pointer)).toContain(pointer);
    }
    const direction = await server.api(`/api/mail/accounts/${id}/test`, json('POST', { direction: 'pop3' }));
    expect(direction.status).toBe(400);
    expect(((await direction.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/direction');
  });

  it('lets a read token list but not create, change or test', async () => {
    const read = await tokenWith(['read']);
    const as = (url: string, init: RequestInit = {}) =>
      fetch(`${server.base}${url}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${read}` } });
    expect((await as('/api/mail/accounts')).status).toBe(200);
    const id = uniqueId('scoped');
    expect((await as('/api/mail/accounts', json('POST', accountInput(id)))).status).toBe(403);
    expect((await create(id)).status).toBe(201);
    expect((await as(`/api/mail/accounts/${id}/test`, json('POST', {}))).status).toBe(403);
    expect((await as(`/api/mail/accounts/${id}`, json('PATCH', { displayName: 'x' }))).status).toBe(403);
    expect((await as(`/api/mail/accounts/${id}`, { method: 'DELETE' })).status).toBe(403);
    const act = await tokenWith(['act']);
    const asAct = await fetch(`${server.base}/api/mail/accounts/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${act}` },
    });
    expect(asAct.status).toBe(403);
  });

  it('adds, lists, tests and removes an account with the CLI, the password read from stdin', async () => {
    const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TRELLIS_URL: server.base };
    const trellis = (args: string[], stdin?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [cli, ...args],
          { env: { ...env, TRELLIS_API_TOKEN: server.token }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin?.end(stdin ?? '');
      });
    const id = uniqueId('cli');
    const added = await trellis(
      [
        'mail',
        'add',
        id,
        '--address',
        'op@example.test',
        '--imap-host',
        dovecot.host,
        '--imap-port',
        String(dovecot.port),
      ].concat(['--imap-security', 'none', '--imap-user', dovecot.user, '--password-stdin', '--json']),
      `${imapPassword}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ id, imap: { hasPassword: true } });
    expect(added.stdout).not.toContain(imapPassword);
    const listed = await trellis(['mail', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+op@example.test`));
    const tested = await trellis(['mail', 'test', id, '--imap']);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/imap {2}ok — folders: INBOX/);
    const removed = await trellis(['mail', 'remove', id]);
    expect(removed.code, removed.stderr).toBe(0);
    const again = await trellis(['mail', 'test', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/404 mail account does not exist/);
  });

  it('documents the routes and their scopes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.paths['/api/mail/accounts/{id}/test']?.post?.security).toEqual([{ bearer: ['act'] }]);
    expect(doc.paths['/api/mail/accounts/{id}']?.patch?.security).toEqual([{ bearer: ['admin'] }]);
    expect(doc.paths['/api/mail/accounts/test']?.post?.security).toEqual([{ bearer: ['act'] }]);
  });
});
