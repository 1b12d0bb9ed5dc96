import type { MemoryKind, MemoryRecord } from '../schemas/memory-record.ts';

/** Filters every backend supports. Without `asOf`, only current records (no `validTo` in the past) match. */
export interface MemoryFilters {
  projectId?: string;
  clientId?: string;
  kinds?: MemoryKind[];
  sourceUri?: string;
  /** Inclusive lower bound on createdAt (ISO 8601). */
  createdAfter?: string;
  /** Exclusive upper bound on createdAt (ISO 8601). */
  createdBefore?: string;
  /** Query the memory as it was at this instant: records created before it and not yet superseded then. */
  asOf?: string;
}

export interface SearchOptions {
  filters?: MemoryFilters;
  /** How many records to return (default 8, at most 100). */
  k?: number;
  /** 0 = keyword (BM25) only, 1 = vector only, between = hybrid fusion (default 0.5). */
  alpha?: number;
}

export interface ScoredRecord {
  record: MemoryRecord;
  score: number;
}

/** What a search returns; `fingerprint` and `ids` go into the ledger so a search can be checked later. */
export interface SearchResult {
  /** sha256 over the normalised query, filters, k, alpha, embedding model and index version. */
  fingerprint: string;
  indexVersion: string;
  embeddingModel: string;
  ids: string[];
  hits: ScoredRecord[];
}

/** A record to store: id and createdAt are filled in when absent (the id deterministically). */
export type NewMemoryRecord = Omit<MemoryRecord, 'id' | 'createdAt' | 'embeddingModel'> & {
  id?: string;
  createdAt?: string;
};

/** Per record kind: a time to live in days, or keep forever. Kinds not listed are kept. */
export type RetentionPolicy = Partial<Record<MemoryKind, { ttlDays: number } | { keepForever: true }>>;

/** Long-term memory, the same semantics on Weaviate and on pgvector. */
export interface MemoryStore {
  readonly backend: 'weaviate' | 'pgvector';
  /** Creates the collection/tables if missing. Idempotent. */
  init(): Promise<void>;
  /** Embeds and stores records; the same id twice replaces (idempotent). */
  upsert(records: NewMemoryRecord[]): Promise<MemoryRecord[]>;
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  get(id: string): Promise<MemoryRecord | undefined>;
  /** Marks every current record of `sourceUri` whose version differs from `newVersion` as ended at `at`. */
  supersede(sourceUri: string, newVersion: string, at?: string): Promise<number>;
  delete(ids: string[]): Promise<number>;
  /** Erasure: deletes every record of the client, current or superseded; returns how many went. */
  deleteByClient(clientId: string): Promise<number>;
  /** Deletes records past their kind's retention; returns how many went. */
  prune(policy: RetentionPolicy, now?: string): Promise<number>;
  /** Ids of records whose embedding model is not the current one (for the re-embed maintenance flow). */
  staleEmbeddings(limit: number): Promise<string[]>;
  /** Re-embeds the given records with the current model. */
  reembed(ids: string[]): Promise<number>;
  /** Changes whenever the stored records change; part of the query fingerprint. */
  indexVersion(): Promise<string>;
  close(): Promise<void>;
}

/** Turns text into vectors; the model name is recorded on every record. */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}
