// Extraction models retrained from corrections (migration 0007): their weights, training summary
// and status. The extract node reads the live one at run time; without one it uses the shipped file.
import type { LinearModel } from '../extraction/learn/linear-model.ts';
import type { Db, Queryable } from './db.ts';

export type ModelStatus = 'proposed' | 'canary' | 'live' | 'retired' | 'rejected';

export interface TrainingSummary {
  /** Labelled examples from corrections, and the review tasks they came from. */
  examples: number;
  tasks: string[];
  skipped: { taskId: string; reason: string }[];
  /** Labels among the examples. */
  labels: Record<string, number>;
  epochs: number;
  l2: number;
  l2New: number;
  /** How many examples the base model and the new one label as the person did. */
  rightBefore: number;
  rightAfter: number;
}

export interface StoredModel {
  id: string;
  kind: 'intent';
  baseVersion: string;
  status: ModelStatus;
  training: TrainingSummary;
  /** Weights: left out of lists. */
  model?: LinearModel;
  features: number;
  reportId?: string;
  createdBy: string;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

interface ModelRow {
  id: string;
  kind: 'intent';
  base_version: string;
  status: ModelStatus;
  model: LinearModel;
  training: TrainingSummary;
  report_id: string | null;
  created_by: string;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
}

function toModel(row: ModelRow, withWeights: boolean): StoredModel {
  return {
    id: row.id,
    kind: row.kind,
    baseVersion: row.base_version,
    status: row.status,
    training: row.training,
    ...(withWeights ? { model: row.model } : {}),
    features: Object.keys(row.model.weights).length,
    ...(row.report_id ? { reportId: row.report_id } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    ...(row.decided_at ? { decidedAt: row.decided_at.toISOString() } : {}),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
  };
}

/** Stores a proposal; the same version stored meanwhile (the same corrections) is returned as it is. */
export async function insertModel(
  db: Queryable,
  entry: { model: LinearModel; baseVersion: string; training: TrainingSummary; createdBy: string },
): Promise<StoredModel> {
  await db.query(
    `insert into extraction_models (id, kind, base_version, status, model, training, created_by)
     values ($1, 'intent', $2, 'proposed', $3, $4, $5) on conflict (id) do nothing`,
    [
      entry.model.version,
      entry.baseVersion,
      JSON.stringify(entry.model),
      JSON.stringify(entry.training),
      entry.createdBy,
    ],
  );
  const stored = await getModel(db, entry.model.version);
  if (!stored) throw new Error(`extraction model ${entry.model.version} was not stored`);
  return stored;
}

export async function getModel(db: Queryable, id: string): Promise<StoredModel | undefined> {
  const { rows } = await db.query<ModelRow>('select * from extraction_models where id = $1', [id]);
  return rows[0] && toModel(rows[0], true);
}

export async function listModels(db: Queryable, { limit = 50 }: { limit?: number } = {}): Promise<StoredModel[]> {
  const { rows } = await db.query<ModelRow>('select * from extraction_models order by created_at desc, id limit $1', [
    Math.min(limit, 500),
  ]);
  return rows.map((row) => toModel(row, false));
}

/** The live intent model, if a retrained one was promoted. */
export async function liveModel(db: Queryable): Promise<StoredModel | undefined> {
  const { rows } = await db.query<ModelRow>(
    `select * from extraction_models where kind = 'intent' and status = 'live'`,
  );
  return rows[0] && toModel(rows[0], true);
}

export async function markCanaried(db: Queryable, id: string, reportId: string): Promise<void> {
  await db.query(
    `update extraction_models set status = 'canary', report_id = $2 where id = $1 and status in ('proposed', 'canary')`,
    [id, reportId],
  );
}

/** The model becomes the live one, the previous live one retired: in one transaction. */
export async function makeLive(db: Db, id: string, by: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query(
      `update extraction_models set status = 'retired', decided_at = now(), decided_by = $2
       where kind = 'intent' and status = 'live' and id <> $1`,
      [id, by],
    );
    const { rowCount } = await tx.query(
      `update extraction_models set status = 'live', decided_at = now(), decided_by = $2 where id = $1 and status = 'canary'`,
      [id, by],
    );
    return (rowCount ?? 0) > 0;
  });
}

export async function rejectModel(db: Queryable, id: string, by: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update extraction_models set status = 'rejected', decided_at = now(), decided_by = $2
     where id = $1 and status in ('proposed', 'canary')`,
    [id, by],
  );
  return (rowCount ?? 0) > 0;
}
