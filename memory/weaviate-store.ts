import { Filters, type Collection, type WeaviateClient } from 'weaviate-client';
import type { MemoryRecord } from '../schemas/memory-record.ts';
import { queryFingerprint, normaliseQuery } from './fingerprint.ts';
import { initialIndexVersion, nextIndexVersion } from './index-version.ts';
import { rankHits } from './ranking.ts';
import { objectUuid } from './record-id.ts';
import { assertDistinctIds, completeRecord, digestOf } from './records.ts';
import { expiryCutoffs } from './retention.ts';
import { resolveSearchOptions } from './search-options.ts';
import { isoInstant } from './time.ts';
import type { Embedder, MemoryStore, NewMemoryRecord, RetentionPolicy, SearchOptions, SearchResult } from './types.ts';
import { connectWeaviate, type WeaviateConnection } from './weaviate-connect.ts';
import { openAt, weaviateFilters } from './weaviate-filters.ts';
import {
  fromProperties,
  memoryCollectionConfig,
  toObject,
  workflowIdProperty,
  type MemoryProperties,
} from './weaviate-schema.ts';

export interface WeaviateStoreOptions {
  connection: WeaviateConnection;
  /** Collection name (Weaviate capitalises the first letter); tests use their own. */
  collection?: string;
  embedder: Embedder;
  /** The clock that decides what "current" means; tests pin it. */
  now?: () => Date;
}

type IndexMeta = { indexVersion: string };

// Objects per batch request, and per page when rewriting or deleting in bulk.
const BATCH = 500;

function firstBatchError(result: { hasErrors: boolean; errors: Record<number, { message: string }> }): void {
  if (!result.hasErrors) return;
  const [first] = Object.values(result.errors);
  throw new Error(`Weaviate batch import failed: ${first?.message ?? 'unknown error'}`);
}

export class WeaviateMemoryStore implements MemoryStore {
  readonly backend = 'weaviate' as const;
  readonly collectionName: string;
  private readonly options: WeaviateStoreOptions;
  private client: WeaviateClient | undefined;

  constructor(options: WeaviateStoreOptions) {
    this.options = options;
    this.collectionName = options.collection ?? 'TrellisMemory';
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(this.collectionName)) {
      throw new RangeError(`Weaviate collection names start with a capital letter: ${this.collectionName}`);
    }
  }

  private get embedder(): Embedder {
    return this.options.embedder;
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private get metaName(): string {
    return `${this.collectionName}Meta`;
  }

  private connected(): WeaviateClient {
    if (!this.client) throw new Error('WeaviateMemoryStore: call init() first');
    return this.client;
  }

  private collection(): Collection<MemoryProperties> {
    return this.connected().collections.use<string, MemoryProperties>(this.collectionName);
  }

  private meta(): Collection<IndexMeta> {
    return this.connected().collections.use<string, IndexMeta>(this.metaName);
  }

  async init(): Promise<void> {
    this.client ??= await connectWeaviate(this.options.connection);
    const collections = this.client.collections;
    await createIfMissing(collections, this.collectionName, () =>
      collections.create(memoryCollectionConfig(this.collectionName)),
    );
    await addWorkflowIdProperty(this.collection());
    await createIfMissing(collections, this.metaName, () =>
      collections.create<IndexMeta>({
        name: this.metaName,
        description: `Index version of ${this.collectionName} (part of every query fingerprint).`,
        properties: [{ name: 'indexVersion', dataType: 'text', indexSearchable: false }],
      }),
    );
  }

  async indexVersion(): Promise<string> {
    const found = await this.meta().query.fetchObjectById(objectUuid(`index-version:${this.collectionName}`));
    return found?.properties.indexVersion ?? initialIndexVersion('weaviate', this.collectionName);
  }

  /** Read-modify-write: two writers at once may chain from the same version, but each still changes it. */
  private async bump(operation: string, digest: string): Promise<void> {
    const indexVersion = nextIndexVersion(await this.indexVersion(), operation, digest);
    const id = objectUuid(`index-version:${this.collectionName}`);
    firstBatchError(await this.meta().data.insertMany([{ id, properties: { indexVersion } }]));
  }

  async upsert(inputs: NewMemoryRecord[]): Promise<MemoryRecord[]> {
    if (inputs.length === 0) return [];
    const now = this.now();
    const records = inputs.map((input) => completeRecord(input, this.embedder.model, now));
    assertDistinctIds(records);
    const vectors = await this.embedder.embed(records.map((record) => record.text));
    const objects = records.map((record, i) => toObject(record, vectors[i]!));
    for (let start = 0; start < objects.length; start += BATCH) {
      firstBatchError(await this.collection().data.insertMany(objects.slice(start, start + BATCH)));
    }
    await this.bump('upsert', digestOf(records));
    return records;
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult> {
    const normalised = normaliseQuery(query);
    if (!normalised) throw new RangeError('memory search needs a non-empty query');
    const { filters, k, alpha, candidates } = resolveSearchOptions(options);
    const collection = this.collection();
    const [vector] = await this.embedder.embed([normalised]);
    // Weaviate has no transactions: a search racing a write may pair the new rows with the old
    // version (pgvector reads both in one snapshot). Reading them together keeps that window short.
    const [indexVersion, result] = await Promise.all([
      this.indexVersion(),
      collection.query.hybrid(normalised, {
        vector: vector!,
        alpha,
        fusionType: 'RelativeScore',
        queryProperties: ['text'],
        limit: candidates,
        filters: weaviateFilters(collection, filters, this.now()),
        returnMetadata: ['score'],
      }),
    ]);
    // Weaviate's own order can differ among equal scores: rankHits sorts by (score, id) itself.
    const hits = rankHits(
      result.objects.map((object) => ({
        record: fromProperties(object.properties),
        score: object.metadata?.score ?? 0,
      })),
      k,
    );
    const embeddingModel = this.embedder.model;
    return {
      fingerprint: queryFingerprint({ query: normalised, filters, k, alpha, embeddingModel, indexVersion }),
      indexVersion,
      embeddingModel,
      ids: hits.map((hit) => hit.record.id),
      hits,
    };
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    const found = await this.collection().query.fetchObjectById(objectUuid(id));
    if (!found || found.properties.recordId !== id) return undefined;
    return fromProperties(found.properties);
  }

  async supersede(sourceUri: string, newVersion: string, at?: string): Promise<number> {
    const endedAt = isoInstant(at ?? this.now(), 'at');
    const collection = this.collection();
    const by = collection.filter;
    const stillOpen = [
      by.byProperty('sourceUri').equal(sourceUri),
      by.byProperty('sourceVersion').notEqual(newVersion),
      openAt(collection, endedAt),
    ];
    const ended: string[] = [];
    // Each rewritten page stops matching the filter, so the loop ends when none is left open.
    for (;;) {
      const page = await collection.query.fetchObjects({
        filters: Filters.and(...stillOpen),
        limit: BATCH,
        includeVector: true,
      });
      if (page.objects.length === 0) break;
      const rewritten = page.objects.map((object) => ({
        id: object.uuid,
        properties: { ...object.properties, validTo: endedAt },
        vectors: object.vectors.default as number[],
      }));
      firstBatchError(await collection.data.insertMany(rewritten));
      ended.push(...page.objects.map((object) => object.properties.recordId));
    }
    if (ended.length > 0) await this.bump('supersede', digestOf({ sourceUri, newVersion, endedAt, ids: ended.sort() }));
    return ended.length;
  }

  async delete(ids: string[]): Promise<number> {
    let deleted = 0;
    const collection = this.collection();
    for (let start = 0; start < ids.length; start += BATCH) {
      const uuids = ids.slice(start, start + BATCH).map(objectUuid);
      const result = await collection.data.deleteMany(collection.filter.byId().containsAny(uuids));
      deleted += result.successful;
    }
    if (deleted > 0) await this.bump('delete', digestOf([...ids].sort()));
    return deleted;
  }

  async deleteByClient(clientId: string): Promise<number> {
    const collection = this.collection();
    const ofClient = collection.filter.byProperty('clientId').equal(clientId);
    let deleted = 0;
    // deleteMany stops at the server's QUERY_MAXIMUM_RESULTS per call.
    for (;;) {
      const result = await collection.data.deleteMany(ofClient);
      deleted += result.successful;
      if (result.matches === 0 || result.successful === 0) break;
    }
    if (deleted > 0) await this.bump('delete', digestOf({ client: clientId }));
    return deleted;
  }

  async prune(policy: RetentionPolicy, now?: string): Promise<number> {
    const collection = this.collection();
    const cutoffs = expiryCutoffs(policy, now ?? this.now());
    let pruned = 0;
    for (const { kind, createdBefore } of cutoffs) {
      const expired = Filters.and(
        collection.filter.byProperty('kind').equal(kind),
        collection.filter.byProperty('createdAt').lessThan(new Date(createdBefore)),
      );
      // deleteMany stops at the server's QUERY_MAXIMUM_RESULTS per call.
      for (;;) {
        const result = await collection.data.deleteMany(expired);
        pruned += result.successful;
        if (result.matches === 0 || result.successful === 0) break;
      }
    }
    if (pruned > 0) await this.bump('prune', digestOf({ cutoffs, pruned }));
    return pruned;
  }

  async staleEmbeddings(limit: number): Promise<string[]> {
    const collection = this.collection();
    const page = await collection.query.fetchObjects({
      filters: collection.filter.byProperty('embeddingModel').notEqual(this.embedder.model),
      sort: collection.sort.byProperty('recordId'),
      limit,
      returnProperties: ['recordId'],
    });
    return page.objects.map((object) => object.properties.recordId);
  }

  async reembed(ids: string[]): Promise<number> {
    const collection = this.collection();
    let count = 0;
    for (let start = 0; start < ids.length; start += BATCH) {
      const uuids = ids.slice(start, start + BATCH).map(objectUuid);
      const page = await collection.query.fetchObjects({
        filters: collection.filter.byId().containsAny(uuids),
        limit: BATCH,
      });
      if (page.objects.length === 0) continue;
      const vectors = await this.embedder.embed(page.objects.map((object) => object.properties.text));
      const rewritten = page.objects.map((object, i) => ({
        id: object.uuid,
        properties: { ...object.properties, embeddingModel: this.embedder.model },
        vectors: vectors[i]!,
      }));
      firstBatchError(await collection.data.insertMany(rewritten));
      count += rewritten.length;
    }
    if (count > 0) await this.bump('reembed', digestOf({ model: this.embedder.model, ids: [...ids].sort() }));
    return count;
  }

  /** Removes the collection and its meta collection (tests and benchmarks). */
  async drop(): Promise<void> {
    const collections = this.connected().collections;
    await collections.delete(this.collectionName);
    await collections.delete(this.metaName);
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }
}

/** A collection made before provenance's `runId` became `workflowId` gets the new property. */
async function addWorkflowIdProperty(collection: Collection<MemoryProperties>): Promise<void> {
  const { properties } = await collection.config.get();
  if (properties.some((property) => property.name === workflowIdProperty.name)) return;
  try {
    await collection.config.addProperty(workflowIdProperty);
  } catch (error) {
    // Another process may have added it meanwhile; anything else is a real failure.
    const again = await collection.config.get();
    if (!again.properties.some((property) => property.name === workflowIdProperty.name)) throw error;
  }
}

/** Creates a collection unless it exists; a concurrent creator winning the race is fine. */
async function createIfMissing(
  collections: WeaviateClient['collections'],
  name: string,
  create: () => Promise<unknown>,
): Promise<void> {
  if (await collections.exists(name)) return;
  try {
    await create();
  } catch (error) {
    if (!(await collections.exists(name))) throw error;
  }
}
