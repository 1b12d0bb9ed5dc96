import { afterAll, describe, expect, inject, it } from 'vitest';
import { createEmbedder, PgvectorMemoryStore, WeaviateMemoryStore } from '../../memory/index.ts';
import type { MemoryStore, NewMemoryRecord } from '../../memory/types.ts';

// Erasure (issue 19, finding 7): every record of one client goes, superseded ones included, on
// both backends; other clients' records stay.
const services = inject('services');
const embedder = createEmbedder({ tier: 'local' });
const suffix = `${process.pid}_${Date.now()}`;

const backends: { backend: string; open: () => MemoryStore & { drop(): Promise<void> } }[] = [
  {
    backend: 'weaviate',
    open: () => new WeaviateMemoryStore({ connection: services.weaviate, collection: `Forget_${suffix}`, embedder }),
  },
  {
    backend: 'pgvector',
    open: () =>
      new PgvectorMemoryStore({ url: services.pglite.url, embedded: true, table: `forget_${suffix}`, embedder }),
  },
];

const record = (text: string, clientId: string, version = '1'): NewMemoryRecord => ({
  text,
  kind: 'fact',
  clientId,
  source: { uri: `test://${clientId}/terms`, version },
  confidence: 0.9,
  provenance: { workflowId: 'run-1', nodeId: 'remember' },
});

describe.each(backends)('deleteByClient on $backend', ({ open }) => {
  const store = open();
  afterAll(async () => {
    await store.drop();
    await store.close();
  });

  it("deletes every record of the client, current and superseded, and nothing of anyone else's", async () => {
    await store.init();
    const [old] = await store.upsert([record('Ana pays on the 5th.', 'client-ana')]);
    await store.supersede('test://client-ana/terms', '2');
    const [current] = await store.upsert([record('Ana pays on the 10th.', 'client-ana', '2')]);
    const [other] = await store.upsert([record('Bruno pays on the 1st.', 'client-bruno')]);
    const before = await store.indexVersion();

    expect(await store.deleteByClient('client-ana')).toBe(2);
    expect(await store.get(old!.id)).toBeUndefined();
    expect(await store.get(current!.id)).toBeUndefined();
    expect(await store.get(other!.id)).toBeDefined();
    expect(await store.indexVersion()).not.toBe(before);
    expect(await store.deleteByClient('client-ana')).toBe(0);
  });
});
