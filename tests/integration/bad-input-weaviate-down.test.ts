import type { FastifyInstance } from 'fastify';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmbedder, createMemoryStore } from '../../memory/index.ts';
import type { MemoryStore } from '../../memory/types.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import type { RunningService } from '../../services/service.ts';
import { startWeaviate, type WeaviateEndpoint } from '../../services/weaviate.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { createToken } from '../../store/tokens.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

// Issue 19, bad-input row "memory search while Weaviate is down": 503 with Retry-After and the
// reason, the server still up, and the memory there again once Weaviate is back. (Runs retry on
// their own: tests/integration/faults-services.test.ts.)

describe('memory search while Weaviate is down', () => {
  const services = inject('services');
  let config: Awaited<ReturnType<typeof isolatedConfig>>;
  let weaviate: RunningService<WeaviateEndpoint> | undefined;
  let db: Db;
  let memory: MemoryStore;
  let app: FastifyInstance;
  let base = '';
  let token = '';
  const search = () => fetch(`${base}/api/memory/search?q=retainer`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    config = await isolatedConfig({ ...process.env, WEAVIATE_URL: '' }, 'trellis-bad-weaviate-');
    weaviate = await startWeaviate(config.weaviate, config.dataDir, config.cacheDir, () => {});
    db = connectDb(services.postgres);
    const embedder = createEmbedder({ tier: 'local', cacheDb: db });
    memory = await createMemoryStore({
      backend: 'weaviate',
      connection: weaviate.endpoint,
      collection: 'BadInputMemory',
      embedder,
    });
    await memory.upsert([
      {
        text: 'The retainer is 2,000 EUR a month.',
        kind: 'fact',
        source: { uri: 'doc://terms', version: '1' },
        confidence: 1,
        provenance: { workflowId: 'seed', nodeId: 'seed' },
      },
    ]);
    const appConfig = loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      DATABASE_URL: services.postgres.url,
      TRELLIS_DATA_DIR: config.dataDir,
    });
    app = await buildApp({ config: appConfig, parts: { db, memory, embedder }, env: {} });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    token = (await createToken(db, 'weaviate-down test')).plaintext;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await memory?.close().catch(() => {});
    await weaviate?.stop();
    await db?.close();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After and the reason, and finds the same memory once Weaviate is back', async () => {
    const up = await search();
    expect(up.status).toBe(200);
    const found = (await up.json()) as { hits: { record: { text: string } }[] };
    expect(found.hits[0]?.record.text).toContain('2,000 EUR');

    await weaviate!.stop();
    weaviate = undefined;
    const started = Date.now();
    const down = await search();
    const body = (await down.json()) as { message: string; errors: { pointer: string }[] };
    expect(down.status, JSON.stringify(body)).toBe(503);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.message).toMatch(/^memory is unreachable: ./);
    expect((await fetch(`${base}/api/health`)).status).toBeLessThan(600);
    expect((await fetch(`${base}/api/webhook-sources`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );

    weaviate = await startWeaviate(config.weaviate, config.dataDir, config.cacheDir, () => {});
    const deadline = Date.now() + 60_000;
    let back = await search();
    while (back.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      back = await search();
    }
    expect(back.status, await back.clone().text()).toBe(200);
    const again = (await back.json()) as { hits: { record: { text: string } }[] };
    expect(again.hits[0]?.record.text).toContain('2,000 EUR');
  }, 240_000);
});
