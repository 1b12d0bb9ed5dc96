import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../../store/migrate.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('source of truth migrations', () => {
  const { postgres, pglite } = inject('services');
  const targets = [
    { name: postgres.embedded ? 'PGlite (as the source of truth)' : 'PostgreSQL server', url: postgres.url },
    { name: 'PGlite with pgvector', url: pglite.url },
  ];

  it.each(targets)('ran every migration on $name', async ({ url }) => {
    const applied = await query<{ name: string }>(url, 'select name from pgmigrations order by id');
    expect(applied.map((row) => row.name)).toContain('0001_instance');
    const instance = await query<{ id: string }>(url, 'select id from trellis_instance');
    expect(instance).toHaveLength(1);
    // Running again is a no-op: migrations are versioned and applied once.
    expect(await migrate(url)).toEqual([]);
  });

  it('has pgvector in the embedded PGlite', async () => {
    await query(pglite.url, 'create extension if not exists vector');
    const rows = await query<{ distance: number }>(
      pglite.url,
      "select '[1,0]'::vector <=> '[0,1]'::vector as distance",
    );
    expect(rows[0]?.distance).toBeCloseTo(1);
  });
});
