import type { Queryable } from '../../store/db.ts';

// Every table the API writes to: a refused request must leave each of them as it was.
const tables = [
  'workflows',
  'workflow_versions',
  'events',
  'review_tasks',
  'review_transitions',
  'webhook_sources',
  'webhook_signatures',
  'api_tokens',
  'clients',
  'projects',
  'project_records',
  'invoices',
];

/** How many rows each of those tables has: equal before and after, a request stored nothing. */
export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    result[table] = rows[0]?.n ?? -1;
  }
  return result;
}
