import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliTokenPath } from '../../server/lib/first-token.ts';
import { loadTemplates } from '../../server/lib/templates.ts';
import { startServer, type StartedServer } from '../../server/start.ts';
import { loadConfig, type TrellisConfig } from '../../services/config.ts';
import { freePort } from '../../services/ports.ts';
import { startPglite } from '../../services/postgres.ts';
import type { RunningService } from '../../services/service.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';
import { hashToken } from '../../store/tokens.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');
const fixtures = path.resolve(import.meta.dirname, '../fixtures');

// A running server on loopback over a fresh embedded database of its own (so "first start"
// really is one), reached by the CLI as an operator would.
describe('trellis server and CLI', () => {
  const services = inject('services');
  let h: Harness;
  let pglite: RunningService<{ url: string }>;
  let db: Db;
  let dataDir = '';
  let config: TrellisConfig;
  let server: StartedServer;
  const env = () => ({ TRELLIS_POSTGRES_EMBEDDED: 'true' });

  async function trellis(args: string[], extraEnv: Record<string, string> = {}) {
    const result = await run(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRELLIS_DATA_DIR: dataDir,
        TRELLIS_PORT: String(config.port),
        ...extraEnv,
      },
      maxBuffer: 10 * 1024 * 1024,
    });
    return result.stdout;
  }
  const json = async <T>(args: string[]) => JSON.parse(await trellis([...args, '--json'])) as T;

  beforeAll(async () => {
    h = await startHarness(services);
    dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-server-'));
    pglite = await startPglite(await freePort(), path.join(dataDir, 'pglite'), path.join(dataDir, 'run'), 'api-pglite');
    await migrate(pglite.endpoint.url);
    db = connectDb({ url: pglite.endpoint.url, embedded: true, max: 1 });
    config = loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      TEMPORAL_NAMESPACE: services.temporal.namespace,
      DATABASE_URL: pglite.endpoint.url,
      TRELLIS_TASK_QUEUE: h.taskQueue,
      TRELLIS_DATA_DIR: dataDir,
      TRELLIS_PORT: String(await freePort()),
    });
    server = await startServer({ config, parts: { temporal: h.client, registry: h.registry }, env: env() });
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    await pglite?.stop();
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the first token at first start, stores only its hash, and writes the CLI copy with mode 0600', async () => {
    expect(server.firstToken).toMatch(/^trl_[A-Za-z0-9_-]{43}$/);
    const file = cliTokenPath(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ token: server.firstToken });
    const rows = await db.query<{ token_hash: string }>('select token_hash from api_tokens');
    expect(rows.rows).toEqual([{ token_hash: hashToken(server.firstToken ?? '') }]);
    const dump = JSON.stringify((await db.query('select * from api_tokens')).rows);
    expect(dump).not.toContain(server.firstToken);
  });

  it('listens on loopback only, with security headers and no CORS', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const refused = await fetch(`${server.url}/api/workflows`);
    expect(refused.status).toBe(401);
  });

  it('installs each template once: at first start, and not again on restart', async (context) => {
    const templates = await loadTemplates();
    if (!templates) return context.skip('workflows/templates is not there yet');
    const expected = templates
      .listTemplates()
      .map((t) => t.id)
      .sort();
    const installed = async () =>
      (
        await db.query<{ template_id: string }>(
          'select template_id from workflows where template_id is not null order by 1',
        )
      ).rows.map((r) => r.template_id);
    expect(await installed()).toEqual(expected);
    const again = await startServer({
      config: { ...config, port: await freePort() },
      parts: { temporal: h.client, registry: h.registry },
      env: env(),
    });
    await again.app.close();
    expect(again.firstToken).toBeUndefined();
    expect(again.installedTemplates).toEqual([]);
    expect(await installed()).toEqual(expected);
    expect((await db.query('select count(*)::int as n from api_tokens')).rows[0]).toEqual({ n: 1 });
  });

  it('refuses a non-loopback address while no token exists, unless TRELLIS_API_TOKEN is set', async () => {
    const { assertSafeBinding } = await import('../../server/start.ts');
    expect(() => assertSafeBinding('0.0.0.0', { tokenExists: false })).toThrow(/refusing to listen on 0\.0\.0\.0/);
    expect(() => assertSafeBinding('0.0.0.0', { tokenExists: false, envToken: 'set' })).not.toThrow();
    expect(() => assertSafeBinding('0.0.0.0', { tokenExists: true })).not.toThrow();
    expect(() => assertSafeBinding('127.0.0.1', { tokenExists: false })).not.toThrow();
    // Here a token exists (the first one), so binding all interfaces is allowed.
    const open = await startServer({
      config: { ...config, host: '0.0.0.0', port: await freePort() },
      parts: { temporal: h.client, registry: h.registry },
      env: env(),
    });
    await open.app.close();
  });

  it('drives workflows, runs, re-runs, replay, ingest and templates from the CLI with the stored token', async () => {
    const graph = {
      name: 'CLI flow',
      nodes: [
        { id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } },
        { id: 'sum', type: 'transform', version: 1, config: { expression: '$sum(items)' }, position: { x: 200, y: 0 } },
        { id: 'echo', type: 'test.echo', version: 1, config: { tag: 'cli' }, position: { x: 400, y: 0 } },
      ],
      edges: [
        { id: 'e0', source: 'start', sourcePort: 'data', target: 'sum', targetPort: 'value' },
        { id: 'e1', source: 'sum', sourcePort: 'value', target: 'echo', targetPort: 'value' },
      ],
    };
    const document = path.join(dataDir, 'cli-flow.json');
    writeFileSync(document, JSON.stringify({ format: 'trellis-workflow', formatVersion: 1, name: 'CLI flow', graph }));
    const [imported] = await json<{ id: string; name: string }[]>(['workflows', 'import', document]);
    expect(imported?.name).toBe('CLI flow');
    const listed = await json<{ id: string }[]>(['workflows', 'list']);
    expect(listed.map((w) => w.id)).toContain(imported?.id);
    const exported = JSON.parse(await trellis(['workflows', 'export', imported?.id ?? ''])) as { graph: unknown };
    expect(exported.graph).toEqual(graph);

    const input = path.join(dataDir, 'input.json');
    writeFileSync(input, JSON.stringify({ items: [1, 2, 3] }));
    // A draft cannot run; the refusal says how to publish it.
    const unpublished = await trellis(['run', 'CLI flow', '--input', input]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(unpublished).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`publish it first: trellis workflows publish ${imported?.id}`),
    });
    expect(await json(['workflows', 'publish', 'CLI flow'])).toMatchObject({
      id: imported?.id,
      version: 1,
      created: true,
    });
    expect(await json(['workflows', 'publish', imported?.id ?? ''])).toMatchObject({ version: 1, created: false });
    const started = await json<{ runId: string; run: { status: string } }>(['run', 'CLI flow', '--input', input]);
    expect(started.run.status).toBe('completed');

    const shown = await json<{ ledger: { entries: { nodeId: string; output?: unknown }[] } }>([
      'runs',
      'show',
      started.runId,
    ]);
    expect(shown.ledger.entries.find((e) => e.nodeId === 'echo')?.output).toEqual({ value: { tag: 'cli', value: 6 } });
    // Temporal's visibility store lists a run a moment after it starts.
    let runIds: string[] = [];
    for (let attempt = 0; attempt < 20 && !runIds.includes(started.runId); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      runIds = (await json<{ runId: string }[]>(['runs', 'list', '--workflow', imported?.id ?? ''])).map(
        (r) => r.runId,
      );
    }
    expect(runIds).toContain(started.runId);

    const rerun = await json<{ reused: string[]; diff: { nodeId: string; change: string }[] }>([
      'rerun',
      started.runId,
      '--from',
      'echo',
    ]);
    expect(rerun.reused).toEqual(['sum']);
    expect(rerun.diff.find((d) => d.nodeId === 'echo')?.change).toBe('same');
    expect(await json<{ ok: boolean }>(['replay', started.runId])).toEqual({ ok: true });

    await fetch(`${server.url}/api/webhook-sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.firstToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'inbox', kind: 'email' }),
    });
    const eml = path.join(fixtures, 'emails/02-billing-reissue-po.eml');
    const [ingested] = await json<{ eventId: string; status: string; duplicate: boolean }[]>([
      'ingest',
      eml,
      '--source',
      'inbox',
    ]);
    expect(ingested).toMatchObject({ status: 'accepted', duplicate: false });
    const [again] = await json<{ eventId: string; duplicate: boolean }[]>(['ingest', eml, '--source', 'inbox']);
    expect(again).toMatchObject({ eventId: ingested?.eventId, duplicate: true });

    const templates = await loadTemplates();
    if (templates) {
      const gallery = await json<{ id: string }[]>(['templates', 'list']);
      expect(gallery.map((t) => t.id)).toEqual(templates.listTemplates().map((t) => t.id));
      // A newcomer's path: install a template published, then run it from the CLI.
      const [repurpose] = await json<{ id: string; version: string }[]>([
        'templates',
        'install',
        'content-repurposing',
        '--name',
        'CLI repurposing',
        '--publish',
      ]);
      expect(repurpose?.version).toBe('v1');
      const post = path.join(dataDir, 'post.json');
      writeFileSync(post, JSON.stringify({ post: 'We shipped the new invoice flow: it drafts, you approve.' }));
      const repurposed = await json<{ runId: string; started: boolean; version: number }>([
        'run',
        'CLI repurposing',
        '--input',
        post,
        '--no-wait',
      ]);
      expect(repurposed).toMatchObject({ started: true, version: 1 });
      expect(repurposed.runId).toContain(repurpose?.id);
    }
  }, 120_000);

  it('fails with the server’s reason when the token is wrong', async () => {
    const failure = await trellis(['workflows', 'list'], { TRELLIS_API_TOKEN: 'trl_wrong' }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('401') });
  });
});
