import pg from 'pg';
import pgvector from 'pgvector';
import type { MemoryRecord } from '../schemas/memory-record.ts';
import { normaliseQuery, queryFingerprint } from './fingerprint.ts';
import { initialIndexVersion } from './index-version.ts';
import { assertTableName, filterSql, orQuerySql, RECORD_COLUMNS, schemaSql, vectorIndexSql } from './pgvector-sql.ts';
import { BATCH, fromRow, insertRecords, type RecordRow } from './pgvector-rows.ts';
import { describeDatabase, ensureVectorExtension } from './pgvector-setup.ts';
import { rankHits, relativeScoreFusion } from './ranking.ts';
import { assertDistinctIds, completeRecord, digestOf } from './records.ts';
import { expiryCutoffs } from './retention.ts';
import { resolveSearchOptions } from './search-options.ts';
import { isoInstant } from './time.ts';
import type { Embedder, MemoryStore, NewMemoryRecord, RetentionPolicy, SearchOptions, SearchResult } from './types.ts';

export interface PgvectorStoreOptions {
  /** A PostgreSQL with the `vector` extension available: the embedded PGlite, or your own server. */
  url: string;
  /** PGlite is one session for every connection (SERVICES.md): the pool then holds one client. */
  embedded?: boolean;
  /** Table name (lower case); `<table>_meta` holds the index version. */
  table?: string;
  embedder: Embedder;
  /** HNSW candidate list size per search (pgvector's `hnsw.ef_search`). */
  efSearch?: number;
  /**
   * false: init() leaves out the HNSW index, for a bulk load followed by buildVectorIndex().
   * Searches stay correct meanwhile (exact scans), only slower.
   */
  createVectorIndex?: boolean;
  now?: () => Date;
  /** Where problems that do not fail a call are reported (a lost idle connection); console.warn by default. */
  warn?: (message: string) => void;
}

export class PgvectorMemoryStore implements MemoryStore {
  readonly backend = 'pgvector' as const;
  readonly table: string;
  private readonly options: PgvectorStoreOptions;
  private readonly pool: pg.Pool;

  constructor(options: PgvectorStoreOptions) {
    this.options = options;
    this.table = options.table ?? 'memory_records';
    assertTableName(this.table);
    const efSearch = Math.trunc(options.efSearch ?? 100);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.embedded ? 1 : 10,
      idleTimeoutMillis: 30_000,
    });
    const warn = options.warn ?? console.warn;
    const where = `pgvector memory ${this.table} at ${describeDatabase(options.url)}`;
    this.pool.on('error', (error) => {
      // An idle client lost its connection; the pool replaces it on next use.
      warn(`${where}: an idle connection failed (${error.message}); it will be replaced`);
    });
    // Session settings for the vector leg; filtered searches keep scanning the graph until enough rows pass.
    this.pool.on('connect', (client) => {
      client
        .query(`set hnsw.ef_search = ${efSearch}; set hnsw.iterative_scan = relaxed_order`)
        .catch((error: Error) =>
          warn(
            `${where}: could not set the HNSW search settings (${error.message}); filtered searches may return fewer rows`,
          ),
        );
    });
  }

  private get embedder(): Embedder {
    return this.options.embedder;
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private get initialVersion(): string {
    return initialIndexVersion('pgvector', this.table);
  }

  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await ensureVectorExtension(client, this.options.url);
      // Two processes starting at once must not race on CREATE TABLE IF NOT EXISTS.
      await client.query('select pg_advisory_lock(hashtext($1))', [this.table]);
      try {
        await client.query(schemaSql(this.table, this.embedder.dimensions));
        const { rows } = await client.query<{ type: string | null }>(
          `select format_type(atttypid, atttypmod) as type from pg_attribute
            where attrelid = to_regclass($1) and attname = 'embedding'`,
          [this.table],
        );
        const expected = `vector(${this.embedder.dimensions})`;
        if (rows[0]?.type !== expected) {
          throw new Error(
            `memory table ${this.table} stores ${rows[0]?.type ?? 'no embedding'}, but ${this.embedder.model} makes ${expected}: use another table for this model`,
          );
        }
        await client.query(
          `insert into ${this.table}_meta (name, index_version) values ('index', $1) on conflict (name) do nothing`,
          [this.initialVersion],
        );
        if (this.options.createVectorIndex !== false) await client.query(vectorIndexSql(this.table));
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [this.table]);
      }
    } finally {
      client.release();
    }
  }

  /**
   * Builds the HNSW index if it is missing (after a bulk load with createVectorIndex: false). It
   * turns exact vector scans into approximate ones, so it counts as a write: the index version moves.
   */
  async buildVectorIndex(maintenanceWorkMem = '1GB'): Promise<boolean> {
    const built = await this.write('build-vector-index', async (tx) => {
      const existing = await tx.query('select 1 from pg_class where relname = $1', [`${this.table}_embedding`]);
      if (existing.rowCount) return { count: 0, digest: () => '' };
      // The graph must fit in maintenance_work_mem or the build slows down many times; `local` ends with the transaction.
      await tx.query(`set local maintenance_work_mem = '${maintenanceWorkMem.replace(/[^0-9A-Za-z]/g, '')}'`);
      await tx.query(vectorIndexSql(this.table));
      return { count: 1, digest: () => vectorIndexSql(this.table) };
    });
    return built > 0;
  }

  async indexVersion(): Promise<string> {
    const { rows } = await this.pool.query<{ index_version: string }>(
      `select index_version from ${this.table}_meta where name = 'index'`,
    );
    return rows[0]?.index_version ?? this.initialVersion;
  }

  /**
   * Runs a write and the index-version bump in one transaction, so a search never sees new rows
   * under the old version. The bump is the same chain as index-version.ts nextIndexVersion.
   */
  private async write(
    operation: string,
    work: (tx: pg.PoolClient) => Promise<{ count: number; digest: () => string }>,
  ): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const { count, digest } = await work(client);
      if (count > 0) {
        await client.query(
          `update ${this.table}_meta
              set index_version = left(encode(sha256(convert_to(index_version || chr(10) || $1 || chr(10) || $2, 'UTF8')), 'hex'), 32)
            where name = 'index'`,
          [operation, digest()],
        );
      }
      await client.query('commit');
      return count;
    } catch (error) {
      // The write's own error is the one to surface; a failed rollback only adds to it.
      await client.query('rollback').catch((rollbackError: Error) => {
        (this.options.warn ?? console.warn)(`pgvector memory ${this.table}: rollback failed: ${rollbackError.message}`);
      });
      throw error;
    } finally {
      client.release();
    }
  }

  async upsert(inputs: NewMemoryRecord[]): Promise<MemoryRecord[]> {
    if (inputs.length === 0) return [];
    const now = this.now();
    const records = inputs.map((input) => completeRecord(input, this.embedder.model, now));
    assertDistinctIds(records);
    const vectors = await this.embedder.embed(records.map((record) => record.text));
    await this.write('upsert', async (tx) => {
      for (let start = 0; start < records.length; start += BATCH) {
        await insertRecords(tx, this.table, records.slice(start, start + BATCH), vectors.slice(start, start + BATCH));
      }
      return { count: records.length, digest: () => digestOf(records) };
    });
    return records;
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResult> {
    const normalised = normaliseQuery(query);
    if (!normalised) throw new RangeError('memory search needs a non-empty query');
    const { filters, k, alpha, candidates } = resolveSearchOptions(options);
    const [vector] = await this.embedder.embed([normalised]);
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const limit = bind(candidates);
    const where = filterSql(filters, this.now(), params);
    const legs: string[] = [];
    if (alpha > 0) {
      const v = `${bind(pgvector.toSql(vector!))}::vector`;
      legs.push(`(select 'vector' as leg, id, 1 - (embedding <=> ${v}) as score from ${this.table}
                  where ${where} order by embedding <=> ${v} limit ${limit})`);
    }
    if (alpha < 1) {
      legs.push(`(select 'keyword' as leg, id, ts_rank(tsv, q.query, 1)::float8 as score
                    from ${this.table}, (select ${orQuerySql(bind(normalised))} as query) as q
                   where tsv @@ q.query and ${where} order by score desc, id collate "C" limit ${limit})`);
    }
    // The index version comes from the same statement, so it is the version of the rows searched.
    const { rows } = await this.pool.query<
      Partial<RecordRow> & { leg: 'vector' | 'keyword' | null; score: number; index_version: string }
    >(
      `with hits as materialized (${legs.join(' union all ')}),
            found as (select hits.leg, hits.score, ${RECORD_COLUMNS} from hits join ${this.table} using (id))
       select meta.index_version, found.* from ${this.table}_meta as meta left join found on true
        where meta.name = 'index'`,
      params,
    );
    const indexVersion = rows[0]?.index_version ?? this.initialVersion;
    const legScores = { vector: new Map<string, number>(), keyword: new Map<string, number>() };
    const records = new Map<string, MemoryRecord>();
    for (const row of rows) {
      if (!row.leg || !row.id) continue;
      legScores[row.leg].set(row.id, row.score);
      if (!records.has(row.id)) records.set(row.id, fromRow(row as RecordRow));
    }
    const fused = relativeScoreFusion(legScores.vector, legScores.keyword, alpha);
    const hits = rankHits(
      [...fused].map(([id, score]) => ({ record: records.get(id)!, score })),
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
    const { rows } = await this.pool.query<RecordRow>(`select ${RECORD_COLUMNS} from ${this.table} where id = $1`, [
      id,
    ]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async supersede(sourceUri: string, newVersion: string, at?: string): Promise<number> {
    const endedAt = isoInstant(at ?? this.now(), 'at');
    return this.write('supersede', async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `update ${this.table} set valid_to = $3::timestamptz
          where source_uri = $1 and source_version <> $2 and (valid_to is null or valid_to > $3::timestamptz)
          returning id`,
        [sourceUri, newVersion, endedAt],
      );
      const ids = rows.map((row) => row.id).sort();
      return { count: ids.length, digest: () => digestOf({ sourceUri, newVersion, endedAt, ids }) };
    });
  }

  async delete(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.write('delete', async (tx) => {
      const result = await tx.query(`delete from ${this.table} where id = any($1::text[])`, [ids]);
      return { count: result.rowCount ?? 0, digest: () => digestOf([...ids].sort()) };
    });
  }

  async deleteByClient(clientId: string): Promise<number> {
    return this.write('delete', async (tx) => {
      const result = await tx.query(`delete from ${this.table} where client_id = $1`, [clientId]);
      return { count: result.rowCount ?? 0, digest: () => digestOf({ client: clientId }) };
    });
  }

  async prune(policy: RetentionPolicy, now?: string): Promise<number> {
    const cutoffs = expiryCutoffs(policy, now ?? this.now());
    if (cutoffs.length === 0) return 0;
    return this.write('prune', async (tx) => {
      let pruned = 0;
      for (const { kind, createdBefore } of cutoffs) {
        const result = await tx.query(`delete from ${this.table} where kind = $1 and created_at < $2::timestamptz`, [
          kind,
          createdBefore,
        ]);
        pruned += result.rowCount ?? 0;
      }
      return { count: pruned, digest: () => digestOf({ cutoffs, pruned }) };
    });
  }

  async staleEmbeddings(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `select id from ${this.table} where embedding_model <> $1 order by id collate "C" limit $2`,
      [this.embedder.model, limit],
    );
    return rows.map((row) => row.id);
  }

  async reembed(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rows } = await this.pool.query<{ id: string; text: string }>(
      `select id, text from ${this.table} where id = any($1::text[])`,
      [ids],
    );
    if (rows.length === 0) return 0;
    const vectors = await this.embedder.embed(rows.map((row) => row.text));
    return this.write('reembed', async (tx) => {
      const result = await tx.query(
        `update ${this.table} as memory set embedding = input.embedding::vector, embedding_model = $3
           from unnest($1::text[], $2::text[]) as input(id, embedding) where memory.id = input.id`,
        [rows.map((row) => row.id), vectors.map((vector) => pgvector.toSql(vector) as string), this.embedder.model],
      );
      return {
        count: result.rowCount ?? 0,
        digest: () => digestOf({ model: this.embedder.model, ids: rows.map((row) => row.id).sort() }),
      };
    });
  }

  /** Drops the tables (tests and benchmarks). */
  async drop(): Promise<void> {
    await this.pool.query(`drop table if exists ${this.table}, ${this.table}_meta`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
