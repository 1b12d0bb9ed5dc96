import pg from 'pg';
import type { MigrationBuilder } from 'node-pg-migrate';
import { describe, expect, inject, it } from 'vitest';
import { createEmbedder, PgvectorMemoryStore, WeaviateMemoryStore } from '../../memory/index.ts';
import type { NewMemoryRecord } from '../../memory/types.ts';
import { connectWeaviate } from '../../memory/weaviate-connect.ts';
import { memoryCollectionConfig, toObject } from '../../memory/weaviate-schema.ts';
import { up as migration0009 } from '../../store/migrations/0009_memory_workflow_id.ts';
import { relevanceCorpus } from '../fixtures/memory/relevance-set.ts';

// What one backend does that the other does not: pgvector's needs and bulk load, and reading
// records each backend stored before provenance's `runId` was renamed `workflowId`.
const services = inject('services');
const embedder = createEmbedder({ tier: 'local' });
const suffix = `${process.pid}_${Date.now()}`;

const written: NewMemoryRecord = {
  text: 'The logo stays teal; the client signed off on 3 March.',
  kind: 'decision',
  source: { uri: 'test://renamed', version: '1' },
  confidence: 1,
  provenance: { workflowId: 'run:wf-before-rename', nodeId: 'remember' },
};

/** The SQL a migration would run, run on `client`. */
async function runMigration(client: pg.Client, up: (pgm: MigrationBuilder) => void): Promise<void> {
  const statements: string[] = [];
  up({ sql: (text: string) => void statements.push(text) } as unknown as MigrationBuilder);
  for (const statement of statements) await client.query(statement);
}

async function columnsOf(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = $1 and column_name in ('run_id', 'workflow_id')`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

describe('memory stored before runId was renamed workflowId', () => {
  it('pgvector: migration 0009 and init() rename the column, and old records read with their workflow id', async () => {
    const table = `conformance_renamed_${suffix}`;
    const store = new PgvectorMemoryStore({ url: services.pglite.url, embedded: true, table, embedder });
    const client = new pg.Client({ connectionString: services.pglite.url });
    await client.connect();
    try {
      await store.init();
      const [record] = await store.upsert([written]);
      // As a table made before the rename looks.
      await client.query(`alter table ${table} rename column workflow_id to run_id`);
      await runMigration(client, migration0009);
      expect(await columnsOf(client, table)).toEqual(['workflow_id']);
      expect((await store.get(record!.id))?.provenance).toEqual(written.provenance);

      await client.query(`alter table ${table} rename column workflow_id to run_id`);
      await store.init(); // a memory database the source-of-truth migrations never see
      expect(await columnsOf(client, table)).toEqual(['workflow_id']);
      expect(await store.get(record!.id)).toEqual(record);
    } finally {
      await client.end();
      await store.drop();
      await store.close();
    }
  });

  it('weaviate: a collection with the old runId property gains workflowId, and old objects read through runId', async () => {
    const collection = `Renamed_${suffix}`;
    const client = await connectWeaviate(services.weaviate);
    const store = new WeaviateMemoryStore({ connection: services.weaviate, collection, embedder });
    try {
      // The collection and object as they were written before the rename.
      const config = memoryCollectionConfig(collection);
      const properties = config.properties!.map((property) =>
        property.name === 'workflowId' ? { ...property, name: 'runId' as const } : property,
      );
      await client.collections.create({ ...config, properties });
      const id = 'before-rename-1';
      const old = toObject({ ...written, id, createdAt: '2025-03-03T10:00:00.000Z', embeddingModel: embedder.model }, [
        ...(await embedder.embed([written.text]))[0]!,
      ]);
      const { workflowId, ...rest } = old.properties;
      await client.collections
        .use(collection)
        .data.insert({ id: old.id, properties: { ...rest, runId: workflowId }, vectors: old.vectors });

      await store.init();
      expect((await store.get(id))?.provenance).toEqual(written.provenance);
      const [fresh] = await store.upsert([
        { ...written, provenance: { workflowId: 'run:wf-after', nodeId: 'remember' } },
      ]);
      expect((await store.get(fresh!.id))?.provenance.workflowId).toBe('run:wf-after');
    } finally {
      await store.drop();
      await store.close();
      await client.close();
    }
  });
});

describe('PgvectorMemoryStore on a PostgreSQL without pgvector', () => {
  // Runs when DATABASE_URL points at a server without the extension (the local PostgreSQL 15).
  it.runIf(!services.postgres.embedded)('refuses to start and says the extension is missing', async () => {
    const store = new PgvectorMemoryStore({ url: services.postgres.url, table: `conformance_${suffix}`, embedder });
    try {
      await expect(store.init()).rejects.toThrow(/needs the "vector" extension.*does not have it/);
    } finally {
      await store.close();
    }
  });
});

describe('PgvectorMemoryStore bulk load', () => {
  it('searches exactly before the HNSW index exists, and building it moves the index version once', async () => {
    const store = new PgvectorMemoryStore({
      url: services.pglite.url,
      embedded: true,
      table: `conformance_bulk_${suffix}`,
      embedder,
      createVectorIndex: false,
    });
    await store.init();
    try {
      await store.upsert(relevanceCorpus);
      const before = await store.search('teal colour for the logo', { k: 3, alpha: 1 });
      expect(before.ids).toContain('northwind-email-logo');
      expect(await store.buildVectorIndex()).toBe(true);
      const after = await store.search('teal colour for the logo', { k: 3, alpha: 1 });
      expect(after.indexVersion).not.toBe(before.indexVersion);
      expect(after.ids).toEqual(before.ids);
      expect(await store.buildVectorIndex()).toBe(false);
      expect(await store.indexVersion()).toBe(after.indexVersion);
    } finally {
      await store.drop();
      await store.close();
    }
  });
});
