import type { MigrationBuilder } from 'node-pg-migrate';

// Memory provenance's `runId` always held the Temporal workflow id; it is now named `workflowId`.
// The pgvector backend creates its own tables (0003 says why), so this finds them by their shape
// (run_id beside embedding_model, node_id and source_uri) and renames the column in place: old
// records keep their value under the new name. Weaviate collections gain a `workflowId`
// property when the memory store starts, and old objects are read through their `runId`.
const memoryTablesWith = (column: string) => `
  select c.table_name from information_schema.columns c
   where c.table_schema = current_schema() and c.column_name = '${column}'
     and exists (select 1 from information_schema.columns o
                  where o.table_schema = c.table_schema and o.table_name = c.table_name
                    and o.column_name in ('embedding_model', 'node_id', 'source_uri')
                  having count(*) = 3)`;

const renameEvery = (from: string, to: string) => `
  do $$ declare t text; begin
    for t in ${memoryTablesWith(from)} loop
      execute format('alter table %I rename column ${from} to ${to}', t);
    end loop;
  end $$;`;

export function up(pgm: MigrationBuilder): void {
  pgm.sql(renameEvery('run_id', 'workflow_id'));
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(renameEvery('workflow_id', 'run_id'));
}
