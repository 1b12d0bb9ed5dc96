// Memory benchmark: N synthetic records (384-d vectors with text) imported into both backends,
// side by side in one run: import rate, recall@10 against exact brute force, and p50/p95
// latency of hybrid search with a filter. Prints a Markdown table.
//
//   node bench/memory.ts [--n 100000] [--queries 200] [--backends weaviate,pgvector] [--pg-index deferred|eager]
//
// pgvector's HNSW index is by default built once after the load (--pg-index deferred, what a bulk
// import should do); --pg-index eager grows it row by row through upsert, as day-to-day writes do.
//
// It starts its own Weaviate and PGlite on free ports in a temporary folder (WEAVIATE_URL /
// WEAVIATE_API_KEY / WEAVIATE_GRPC_ADDRESS, or MEMORY_BENCH_PG_URL, point it at running ones).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PgvectorMemoryStore } from '../memory/pgvector-store.ts';
import type { Embedder, MemoryStore, NewMemoryRecord } from '../memory/types.ts';
import { WeaviateMemoryStore } from '../memory/weaviate-store.ts';
import { freePort } from '../services/ports.ts';
import { startPglite } from '../services/postgres.ts';
import type { RunningService } from '../services/service.ts';
import { startWeaviate } from '../services/weaviate.ts';
import { isolatedConfig } from '../tests/setup/test-stack.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    backends: { type: 'string', default: 'weaviate,pgvector' },
    batch: { type: 'string', default: '1000' },
    'pg-index': { type: 'string', default: 'deferred' },
  },
});
const N = Number(values.n);
const QUERIES = Number(values.queries);
const BACKENDS = values.backends.split(',');
const BATCH = Number(values.batch);
const PG_DEFERRED_INDEX = values['pg-index'] !== 'eager';
const DIMS = 384;
const LATENT = 32;
const CLUSTERS = 256;
const PROJECTS = 20;
const K = 10;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// ---------------------------------------------------------------- synthetic data (seeded)

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20240601);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// Sentence embeddings have a low intrinsic dimension: clustered 32-d latents projected to 384-d
// plus a little isotropic noise, normalised (random 384-d points would be an unrealistic worst case).
const projection = Float32Array.from({ length: DIMS * LATENT }, () => gaussian() / Math.sqrt(LATENT));
const centres = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: LATENT }, () => gaussian()));

function sampleVector(cluster: number, into: Float32Array, offset: number): void {
  const centre = centres[cluster]!;
  const latent = Float32Array.from({ length: LATENT }, (_, i) => centre[i]! + 0.8 * gaussian());
  let norm = 0;
  for (let d = 0; d < DIMS; d += 1) {
    let value = 0.02 * gaussian();
    for (let l = 0; l < LATENT; l += 1) value += projection[d * LATENT + l]! * latent[l]!;
    into[offset + d] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm);
  for (let d = 0; d < DIMS; d += 1) into[offset + d] = into[offset + d]! / norm;
}

const common = `client project invoice meeting draft review budget deadline scope launch website design
  email payment update feedback call change request approval contract proposal milestone estimate report
  schedule delivery brand logo content copy page form app booking order customer team week month`.split(/\s+/);
const syllables = ['ka', 'lo', 'mer', 'tin', 'sa', 'vel', 'dor', 'pi', 'ran', 'qu', 'ex', 'bo', 'lu', 'na', 'zer'];
const topicWords = Array.from({ length: CLUSTERS }, () =>
  Array.from({ length: 24 }, () => Array.from({ length: 3 }, () => pick(syllables)).join('')),
);

function sampleText(cluster: number, id: number): string {
  const words = [`ref${id}`];
  for (let i = 0; i < 8; i += 1) words.push(pick(common));
  for (let i = 0; i < 12; i += 1) words.push(pick(topicWords[cluster]!));
  for (let i = 0; i < 4; i += 1) words.push(pick(pick(topicWords)));
  return words.join(' ');
}

log(`generating ${N} records of ${DIMS}-d and ${QUERIES} queries`);
const vectors = new Float32Array(N * DIMS);
const records: NewMemoryRecord[] = [];
const projectOf = new Int32Array(N);
for (let i = 0; i < N; i += 1) {
  const cluster = Math.floor(random() * CLUSTERS);
  sampleVector(cluster, vectors, i * DIMS);
  projectOf[i] = Math.floor(random() * PROJECTS);
  records.push({
    id: `rec-${String(i).padStart(7, '0')}`,
    text: sampleText(cluster, i),
    kind: pick(['message', 'document', 'fact', 'decision', 'note'] as const),
    projectId: `project-${projectOf[i]}`,
    clientId: `client-${projectOf[i]! % 7}`,
    source: { uri: `bench://source/${i}`, version: '1' },
    confidence: 0.9,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    provenance: { workflowId: 'bench', nodeId: 'import' },
  });
}
const queryVectors = new Float32Array(QUERIES * DIMS);
const queries = Array.from({ length: QUERIES }, (_, q) => {
  const cluster = Math.floor(random() * CLUSTERS);
  sampleVector(cluster, queryVectors, q * DIMS);
  const text = [pick(common), pick(topicWords[cluster]!), pick(topicWords[cluster]!), `q${q}`].join(' ');
  return { text, project: Math.floor(random() * PROJECTS) };
});

/** The synthetic vectors stand in for a model: each known text maps to its vector. */
const vectorOfText = new Map<string, { from: Float32Array; index: number }>();
records.forEach((record, i) => vectorOfText.set(record.text, { from: vectors, index: i }));
queries.forEach((query, q) => vectorOfText.set(query.text, { from: queryVectors, index: q }));
const embedder: Embedder = {
  model: `synthetic-${DIMS}`,
  dimensions: DIMS,
  embed: (texts) =>
    Promise.resolve(
      texts.map((text) => {
        const found = vectorOfText.get(text);
        if (!found) throw new Error(`no synthetic vector for "${text}"`);
        return Array.from(found.from.subarray(found.index * DIMS, (found.index + 1) * DIMS));
      }),
    ),
};

// ---------------------------------------------------------------- exact neighbours

function exactTopK(q: number, project?: number): string[] {
  const query = queryVectors.subarray(q * DIMS, (q + 1) * DIMS);
  const best: { i: number; s: number }[] = [];
  for (let i = 0; i < N; i += 1) {
    if (project !== undefined && projectOf[i] !== project) continue;
    let s = 0;
    const base = i * DIMS;
    for (let d = 0; d < DIMS; d += 1) s += query[d]! * vectors[base + d]!;
    if (best.length < K || s > best[best.length - 1]!.s) {
      best.push({ i, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > K) best.pop();
    }
  }
  return best.map(({ i }) => records[i]!.id!);
}

const RECALL_QUERIES = Math.min(100, QUERIES);
log(`exact top-${K} by brute force for ${RECALL_QUERIES} queries, unfiltered and filtered by project`);
const truth = Array.from({ length: RECALL_QUERIES }, (_, q) => exactTopK(q));
const truthFiltered = Array.from({ length: RECALL_QUERIES }, (_, q) => exactTopK(q, queries[q]!.project));

// ---------------------------------------------------------------- services

const config = await isolatedConfig(process.env, 'trellis-bench-memory-');
const started: RunningService<unknown>[] = [];
let weaviate: RunningService<{ url: string; grpcAddress: string; apiKey: string | undefined }> | undefined;
let pgUrl = process.env.MEMORY_BENCH_PG_URL;
if (BACKENDS.includes('weaviate')) {
  weaviate = await startWeaviate(config.weaviate, config.dataDir, config.cacheDir, log);
  started.push(weaviate);
}
if (BACKENDS.includes('pgvector') && !pgUrl) {
  const pglite = await startPglite(
    await freePort(),
    path.join(config.dataDir, 'pglite'),
    path.join(config.dataDir, 'run'),
  );
  started.push(pglite);
  pgUrl = pglite.endpoint.url;
}

// ---------------------------------------------------------------- measurements

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function latencies(store: MemoryStore, alpha: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (const [q, query] of queries.entries()) {
    const start = performance.now();
    const result = await store.search(query.text, { k: K, alpha, filters: { projectId: `project-${query.project}` } });
    times.push(performance.now() - start);
    if (q === 0 && result.ids.length !== K) throw new Error(`expected ${K} hits, got ${result.ids.length}`);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

async function recall(store: MemoryStore, filtered: boolean): Promise<number> {
  let found = 0;
  for (let q = 0; q < RECALL_QUERIES; q += 1) {
    const filters = filtered ? { projectId: `project-${queries[q]!.project}` } : {};
    const { ids } = await store.search(queries[q]!.text, { k: K, alpha: 1, filters });
    const expected = new Set((filtered ? truthFiltered : truth)[q]);
    found += ids.filter((id) => expected.has(id)).length;
  }
  return found / (RECALL_QUERIES * K);
}

interface Row {
  backend: string;
  importPerSecond: number;
  /** Seconds spent building the vector index after the load (pgvector, deferred). */
  indexBuild?: number;
  recall: number;
  recallFiltered: number;
  hybrid: { p50: number; p95: number };
  vector: { p50: number; p95: number };
  keyword: { p50: number; p95: number };
}

type BenchStore = MemoryStore & { drop(): Promise<void>; buildVectorIndex?: () => Promise<boolean> };

async function measure(backend: string, store: BenchStore, buildIndexAfterLoad = false): Promise<Row> {
  await store.init();
  log(`${backend}: importing ${N} records in batches of ${BATCH}`);
  const start = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await store.upsert(records.slice(i, i + BATCH));
    if ((i + BATCH) % 10_000 === 0) {
      const rate = (i + BATCH) / ((performance.now() - start) / 1000);
      log(`${backend}: ${i + BATCH} imported (${rate.toFixed(0)} records/s)`);
    }
  }
  let indexBuild: number | undefined;
  if (buildIndexAfterLoad && store.buildVectorIndex) {
    log(`${backend}: building the HNSW index`);
    const buildStart = performance.now();
    await store.buildVectorIndex();
    indexBuild = (performance.now() - buildStart) / 1000;
  }
  const importPerSecond = N / ((performance.now() - start) / 1000);
  log(`${backend}: ${importPerSecond.toFixed(0)} records/s; warming up, then recall and latency`);
  await latencies(store, 0.5);
  const row: Row = {
    backend,
    importPerSecond,
    indexBuild,
    recall: await recall(store, false),
    recallFiltered: await recall(store, true),
    hybrid: await latencies(store, 0.5),
    vector: await latencies(store, 1),
    keyword: await latencies(store, 0),
  };
  await store.drop();
  await store.close();
  return row;
}

const rows: Row[] = [];
try {
  for (const backend of BACKENDS) {
    if (backend === 'weaviate' && weaviate) {
      const store = new WeaviateMemoryStore({ connection: weaviate.endpoint, collection: `BenchMemory${N}`, embedder });
      rows.push(await measure('Weaviate 1.39 (HNSW grown per batch, BM25)', store));
    } else if (backend === 'pgvector' && pgUrl) {
      const embedded = !process.env.MEMORY_BENCH_PG_URL;
      const store = new PgvectorMemoryStore({
        url: pgUrl,
        embedded,
        table: `bench_memory_${N}`,
        embedder,
        createVectorIndex: !PG_DEFERRED_INDEX,
      });
      const name = `${embedded ? 'pgvector 0.8 on PGlite' : 'pgvector'} (HNSW ${PG_DEFERRED_INDEX ? 'built after load' : 'grown per upsert'}, ts_rank)`;
      rows.push(await measure(name, store, PG_DEFERRED_INDEX));
    }
  }
} finally {
  for (const service of started.reverse()) await service.stop();
  rmSync(config.dataDir, { recursive: true, force: true });
}

const ms = (value: number) => value.toFixed(1);
console.log(
  `\n${N.toLocaleString('en')} records, ${DIMS}-d, k = ${K}; recall over ${RECALL_QUERIES} queries (vector only),` +
    ` latency over ${QUERIES} queries filtered to one of ${PROJECTS} projects (end to end through MemoryStore.search)\n`,
);
console.log(
  '| backend | import (records/s) | of which index build (s) | recall@10 | recall@10, project filter | hybrid p50 / p95 (ms) | vector p50 / p95 (ms) | keyword p50 / p95 (ms) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.backend} | ${row.importPerSecond.toFixed(0)} | ${row.indexBuild?.toFixed(0) ?? '–'} | ${row.recall.toFixed(3)} | ${row.recallFiltered.toFixed(3)} | ` +
      `${ms(row.hybrid.p50)} / ${ms(row.hybrid.p95)} | ${ms(row.vector.p50)} / ${ms(row.vector.p95)} | ` +
      `${ms(row.keyword.p50)} / ${ms(row.keyword.p95)} |`,
  );
}
