import pg from 'pg';
import pgvector from 'pgvector';
import type { MemoryRecord } from '../schemas/memory-record.ts';
import { normaliseQuery, queryFingerprint } from './fingerprint.ts';
import { initialIndexVersion } from './index-version.ts';
import { assertTableName, filterSql, orQuerySql, RECORD_COLUMNS, schemaSql, vectorIndexSql } from './pgvector-sql.ts';
import { rankHits, relativeScoreFusion } from './ranking.ts';
import { assertDistinctIds, completeRecord, digestOf, flatFromRecord, recordFromFlat } from './records.ts';
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
}

interface RecordRow {
  id: string;
  text: string;
  kind: string;
  project_id: string | null;
  client_id: string | null;
  source_uri: string;
  source_version: string;
  confidence: number;
  created_at: Date;
  valid_to: Date | null;
  run_id: string;
  node_id: string;
  reviewer: string | null;
  embedding_model: string;
}

const BATCH = 500;

function fromRow(row: RecordRow): MemoryRecord {
  return recordFromFlat({
    id: row.id,
    text: row.text,
    kind: row.kind,
    projectId: row.project_id,
    clientId: row.client_id,
    sourceUri: row.source_uri,
    sourceVersion: row.source_version,
    confidence: row.confidence,
    createdAt: row.created_at,
    validTo: row.valid_to,
    runId: row.run_id,
    nodeId: row.node_id,
    reviewer: row.reviewer,
    embeddingModel: row.embedding_model,
  });
}

/** Where a database is, for messages: host, port and database, never credentials. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
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
    this.pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    // Session settings for the vector leg; filtered searches keep scanning the graph until enough rows pass.
    this.pool.on('connect', (client) => {
      client.query(`set hnsw.ef_search = ${efSearch}; set hnsw.iterative_scan = relaxed_order`).catch(() => {});
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
      await this.ensureExtension(client);
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

  /** Creates `vector` when it can; says plainly when this PostgreSQL does not have pgvector. */
  private async ensureExtension(client: pg.PoolClient): Promise<void> {
    const installed = await client.query("select 1 from pg_extension where extname = 'vector'");
    if (installed.rowCount) return;
    const available = await client.query("select 1 from pg_available_extensions where name = 'vector'");
    if (!available.rowCount) {
      const { rows } = await client.query<{ version: string }>("select current_setting('server_version') as version");
      throw new Error(
        `The pgvector memory backend needs the "vector" extension, and the PostgreSQL ${rows[0]?.version ?? ''} at ` +
          `${describe(this.options.url)} does not have it. Install pgvector (https://github.com/pgvector/pgvector), ` +
          'use the embedded PGlite (leave DATABASE_URL unset), or use the Weaviate memory backend.',
      );
    }
    try {
      await client.query('create extension if not exists vector');
    } catch (error) {
      throw new Error(
        `pgvector is available at ${describe(this.options.url)} but "create extension vector" failed ` +
          `(${(error as Error).message}); ask an administrator to run it once in that database.`,
        { cause: error },
      );
    }
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
      await client.query('rollback').catch(() => {});
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
        await this.insertBatch(tx, records.slice(start, start + BATCH), vectors.slice(start, start + BATCH));
      }
      return { count: records.length, digest: () => digestOf(records) };
    });
    return records;
  }

  private async insertBatch(tx: pg.PoolClient, records: MemoryRecord[], vectors: number[][]): Promise<void> {
    const flat = records.map(flatFromRecord);
    const column = <K extends keyof (typeof flat)[number]>(key: K) => flat.map((row) => row[key]);
    await tx.query(
      `insert into ${this.table} (${RECORD_COLUMNS}, embedding)
       select id, text, kind, project_id, client_id, source_uri, source_version, confidence,
              created_at, valid_to, run_id, node_id, reviewer, embedding_model, embedding::vector
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::float8[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                     $14::text[], $15::text[])
           as input(id, text, kind, project_id, client_id, source_uri, source_version, confidence,
                    created_at, valid_to, run_id, node_id, reviewer, embedding_model, embedding)
       on conflict (id) do update set
         text = excluded.text, kind = excluded.kind, project_id = excluded.project_id,
         client_id = excluded.client_id, source_uri = excluded.source_uri, source_version = excluded.source_version,
         confidence = excluded.confidence, created_at = excluded.created_at, valid_to = excluded.valid_to,
         run_id = excluded.run_id, node_id = excluded.node_id, reviewer = excluded.reviewer,
         embedding_model = excluded.embedding_model, embedding = excluded.embedding`,
      [
        column('id'),
        column('text'),
        column('kind'),
        column('projectId'),
        column('clientId'),
        column('sourceUri'),
        column('sourceVersion'),
        column('confidence'),
        column('createdAt'),
        column('validTo'),
        column('runId'),
        column('nodeId'),
        column('reviewer'),
        column('embeddingModel'),
        vectors.map((vector) => pgvector.toSql(vector) as string),
      ],
    );
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
