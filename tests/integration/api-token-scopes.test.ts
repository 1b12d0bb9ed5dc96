// Token scopes and the editor's session cookie, through HTTP against the real server on a fresh
// embedded database: a token made before scopes existed is an admin after the migration; read
// tokens only read, act tokens run but cannot mint tokens; the browser signs in with a cookie
// that other origins cannot use; the CSP forbids eval.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { scopeExceptions } from '../../server/lib/scopes.ts';
import { loadConfig } from '../../services/config.ts';
import { freePort } from '../../services/ports.ts';
import { startPglite } from '../../services/postgres.ts';
import type { RunningService } from '../../services/service.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';
import { hashToken, newTokenValue } from '../../store/tokens.ts';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../store/migrations');

/** Applies the migrations numbered below 0010, as an installation from before scopes had them. */
async function migrateBeforeScopes(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runner({
      dbClient: client,
      dir: migrationsDir,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      count: Infinity,
      ignorePattern: '(?!000\\d_).*',
      singleTransaction: true,
      log: () => {},
    });
  } finally {
    await client.end();
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

describe('token scopes and the browser session', () => {
  const services = inject('services');
  let h: Harness;
  let pglite: RunningService<{ url: string }>;
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  let dataDir = '';
  const oldToken = newTokenValue();
  const tokens = { read: '', act: '', admin: '' };
  let workflowId = '';

  async function call(
    method: string,
    url: string,
    { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
    };
  }

  beforeAll(async () => {
    h = await startHarness(services);
    dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-scopes-'));
    pglite = await startPglite(
      await freePort(),
      path.join(dataDir, 'pglite'),
      path.join(dataDir, 'run'),
      'scopes-pglite',
    );
    await migrateBeforeScopes(pglite.endpoint.url);
    db = connectDb({ url: pglite.endpoint.url, embedded: true, max: 2 });
    await db.query('insert into api_tokens (id, name, token_hash) values ($1, $2, $3)', [
      'old',
      'made before scopes',
      hashToken(oldToken),
    ]);
    expect(await migrate(pglite.endpoint.url)).toContain('0010_token_scopes');
    const config = loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      TEMPORAL_NAMESPACE: services.temporal.namespace,
      DATABASE_URL: pglite.endpoint.url,
      TRELLIS_TASK_QUEUE: h.taskQueue,
      TRELLIS_DATA_DIR: dataDir,
    });
    app = await buildApp({ config, parts: { db, temporal: h.client, registry: h.registry }, env: {} });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await pglite?.stop();
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a token made before scopes working, as an admin that can mint scoped tokens', async () => {
    const listed = await call('GET', '/api/tokens', { token: oldToken });
    expect(listed.status).toBe(200);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ id: 'old', scopes: ['admin'] })]);
    for (const scope of ['read', 'act', 'admin'] as const) {
      const made = await call('POST', '/api/tokens', {
        token: oldToken,
        body: { name: `${scope} token`, scopes: [scope] },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.scopes).toEqual([scope]);
      tokens[scope] = made.body.token as string;
    }
  });

  it('refuses a token without scopes, or with an unknown one, naming the field', async () => {
    const none = await call('POST', '/api/tokens', { token: tokens.admin, body: { name: 'no scopes' } });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body.errors)).toContain('scopes');
    const unknown = await call('POST', '/api/tokens', { token: tokens.admin, body: { name: 'x', scopes: ['root'] } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('/scopes/0');
  });

  it('lets an admin token publish a workflow', async () => {
    const g = graph(
      'Scoped flow',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['echo', 'test.echo', { tag: 'scoped' }],
      ],
      ['start.data -> echo.value'],
    );
    const created = await call('POST', '/api/workflows', {
      token: tokens.admin,
      body: { name: 'Scoped flow', graph: g },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    workflowId = (created.body.workflow as { id: string }).id;
    expect((await call('POST', `/api/workflows/${workflowId}/publish`, { token: tokens.admin, body: {} })).status).toBe(
      201,
    );
  });

  it('lets a read token read, and answers 403 naming the scope on every change', async () => {
    expect((await call('GET', '/api/workflows', { token: tokens.read })).status).toBe(200);
    expect(
      (await call('POST', '/api/workflows/validate', { token: tokens.read, body: { graph: {} } })).status,
    ).not.toBe(403);
    const run = await call('POST', `/api/workflows/${workflowId}/runs`, {
      token: tokens.read,
      body: { input: { data: {} } },
    });
    expect(run.status).toBe(403);
    expect(run.body.message).toMatch(/needs a token with the "act" scope/);
    const mint = await call('POST', '/api/tokens', { token: tokens.read, body: { name: 'sneaky', scopes: ['admin'] } });
    expect(mint.status).toBe(403);
    expect(mint.body.message).toMatch(/"admin" scope/);
    expect(mint.body.errors).toEqual([
      { pointer: '/headers/authorization', message: expect.stringContaining('admin') },
    ]);
    const publish = await call('POST', `/api/workflows/${workflowId}/publish`, { token: tokens.read, body: {} });
    expect(publish.status).toBe(403);
    expect((await call('GET', '/api/tokens', { token: tokens.read })).status).toBe(403);
  });

  it('lets an act token run a workflow to the end, but not mint tokens or publish', async () => {
    const started = await call('POST', `/api/workflows/${workflowId}/runs`, {
      token: tokens.act,
      body: { input: { data: { n: 1 } } },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = encodeURIComponent(started.body.runId as string);
    const deadline = Date.now() + 30_000;
    let status = 'running';
    while (status === 'running' && Date.now() < deadline) {
      status = ((await call('GET', `/api/runs/${runId}`, { token: tokens.act })).body.run as { status: string }).status;
      if (status === 'running') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status, `run ${runId} after 30 s`).toBe('completed');
    const mint = await call('POST', '/api/tokens', { token: tokens.act, body: { name: 'sneaky', scopes: ['act'] } });
    expect(mint.status).toBe(403);
    expect(mint.body.message).toMatch(/"admin" scope/);
    expect((await call('POST', `/api/workflows/${workflowId}/publish`, { token: tokens.act, body: {} })).status).toBe(
      403,
    );
  });

  it('lists in its scope table only routes that exist (a typo would leave a route admin-only)', () => {
    const missing = Object.keys(scopeExceptions).filter((entry) => {
      const [method, url] = entry.split(' ') as ['GET' | 'POST', string];
      return !app.hasRoute({ method, url }) && !app.hasRoute({ method, url: `${url}/` });
    });
    expect(missing).toEqual([]);
  });

  it('shows the scope of each operation in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    expect(doc.paths['/api/workflows/{id}/runs']?.post?.security).toEqual([{ bearer: ['act'] }]);
    expect(doc.paths['/api/tokens/']?.post?.security ?? doc.paths['/api/tokens']?.post?.security).toEqual([
      { bearer: ['admin'] },
    ]);
    expect(doc.paths['/api/workflows/']?.get?.security ?? doc.paths['/api/workflows']?.get?.security).toEqual([
      { bearer: ['read'] },
    ]);
  });

  it("serves a Content-Security-Policy without 'unsafe-eval'", async () => {
    const policy = (await call('GET', '/api/health')).headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
  });

  describe('the session cookie', () => {
    const sameOrigin = () => ({ origin: base });
    let cookie = '';

    it('signs in with a token: an httpOnly, SameSite=Strict cookie that replaces the bearer token', async () => {
      const wrong = await call('POST', '/api/session', { body: { token: 'trl_wrong' }, headers: sameOrigin() });
      expect(wrong.status).toBe(401);
      const signed = await call('POST', '/api/session', { body: { token: tokens.admin }, headers: sameOrigin() });
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
      expect(signed.body).toMatchObject({ scopes: ['admin'], via: 'session' });
      const setCookie = signed.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^trellis_session=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect(setCookie).toContain('Path=/api');
      expect(setCookie).not.toContain(tokens.admin);
      cookie = setCookie.split(';')[0]!;
      const me = await call('GET', '/api/session', { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ scopes: ['admin'], via: 'session' });
      expect((await call('GET', '/api/workflows', { headers: { cookie } })).status).toBe(200);
    });

    it('changes state with the cookie only from this origin', async () => {
      const body = {
        name: 'From the editor',
        graph: graph('From the editor', [['start', 'trigger', { kind: 'manual' }]], []),
      };
      const same = await call('POST', '/api/workflows', { body, headers: { cookie, ...sameOrigin() } });
      expect(same.status, JSON.stringify(same.body)).toBe(201);
      const fetchMeta = await call('POST', '/api/workflows', {
        body,
        headers: { cookie, 'sec-fetch-site': 'same-origin' },
      });
      expect(fetchMeta.status).toBe(201);
      // A proxy that ends TLS: the page is https, the same host and port.
      const proxied = await call('POST', '/api/workflows', {
        body,
        headers: { cookie, origin: base.replace('http:', 'https:') },
      });
      expect(proxied.status).toBe(201);
      const cross = await call('POST', '/api/workflows', { body, headers: { cookie, origin: 'http://127.0.0.1:1' } });
      expect(cross.status).toBe(403);
      expect(cross.body.errors).toEqual([
        { pointer: '/headers/origin', message: expect.stringContaining('another origin') },
      ]);
      const sameSite = await call('POST', '/api/workflows', {
        body,
        headers: { cookie, 'sec-fetch-site': 'same-site' },
      });
      expect(sameSite.status).toBe(403);
      const bare = await call('POST', '/api/workflows', { body, headers: { cookie } });
      expect(bare.status).toBe(403);
      const crossSignIn = await call('POST', '/api/session', {
        body: { token: tokens.read },
        headers: { origin: 'http://evil.example' },
      });
      expect(crossSignIn.status).toBe(403);
    });

    it("gives a session its token's scopes", async () => {
      const signed = await call('POST', '/api/session', { body: { token: tokens.read }, headers: sameOrigin() });
      const readCookie = (signed.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect((await call('GET', '/api/workflows', { headers: { cookie: readCookie } })).status).toBe(200);
      const mint = await call('POST', '/api/tokens', {
        body: { name: 'x', scopes: ['admin'] },
        headers: { cookie: readCookie, ...sameOrigin() },
      });
      expect(mint.status).toBe(403);
      expect(mint.body.message).toMatch(/"admin" scope/);
    });

    it('signs out: the cookie is cleared and the session no longer works', async () => {
      const out = await call('DELETE', '/api/session', { headers: { cookie, ...sameOrigin() } });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^trellis_session=;.*Max-Age=0/);
      const after = await call('GET', '/api/workflows', { headers: { cookie } });
      expect(after.status).toBe(401);
      expect(after.body.message).toMatch(/sign in again/);
    });

    it('ends the sessions of a revoked token', async () => {
      const made = await call('POST', '/api/tokens', {
        token: tokens.admin,
        body: { name: 'short-lived', scopes: ['read'] },
      });
      const signed = await call('POST', '/api/session', { body: { token: made.body.token }, headers: sameOrigin() });
      const shortCookie = (signed.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect((await call('GET', '/api/workflows', { headers: { cookie: shortCookie } })).status).toBe(200);
      expect((await call('DELETE', `/api/tokens/${made.body.id as string}`, { token: tokens.admin })).status).toBe(204);
      expect((await call('GET', '/api/workflows', { headers: { cookie: shortCookie } })).status).toBe(401);
    });
  });
});
