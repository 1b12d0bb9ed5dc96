import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import weaviate from 'weaviate-client';
import { describe, expect, it } from 'vitest';
import { startServices, type ServiceStack } from '../../services/stack.ts';
import { connectClient } from '../../temporal/client.ts';
import { createWorker } from '../../temporal/worker.ts';
import { isolatedConfig } from '../setup/test-stack.ts';
import { connectWeaviate } from '../setup/weaviate-client.ts';

const log = () => {};

describe('a stopped and restarted stack', () => {
  it('keeps a finished workflow history, a Weaviate object and a PostgreSQL row', async () => {
    // Everything local, on its own folder and ports: this test stops and starts services for real.
    const env = { ...process.env, TEMPORAL_ADDRESS: '', WEAVIATE_URL: '', DATABASE_URL: '' };
    const config = await isolatedConfig(env, 'trellis-restart-');
    let stack: ServiceStack | undefined = await startServices(config, log);
    try {
      const taskQueue = `restart-${randomUUID()}`;
      const workflowId = `restart-${randomUUID()}`;
      const objectId = randomUUID();
      const rowId = randomUUID();

      const client = await connectClient(stack.temporal.endpoint);
      const { worker, close } = await createWorker({ ...stack.temporal.endpoint, taskQueue });
      await worker.runUntil(client.workflow.execute('ping', { taskQueue, workflowId, args: ['before restart'] }));
      await close();
      const eventsBefore = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length;
      await client.connection.close();

      const store = await connectWeaviate(stack.weaviate.endpoint);
      await store.collections.create({
        name: 'RestartProbe',
        properties: [{ name: 'text', dataType: 'text' }],
        vectorizers: weaviate.configure.vectors.selfProvided(),
      });
      await store.collections
        .get('RestartProbe')
        .data.insert({ id: objectId, properties: { text: 'kept' }, vectors: [0.1, 0.2] });
      await store.close();

      const db = new pg.Client({ connectionString: stack.postgres.endpoint.url });
      await db.connect();
      await db.query('create table restart_probe (id uuid primary key, note text)');
      await db.query('insert into restart_probe values ($1, $2)', [rowId, 'kept']);
      await db.end();

      await stack.stop();
      stack = undefined;
      stack = await startServices(config, log);

      const clientAfter = await connectClient(stack.temporal.endpoint);
      const handle = clientAfter.workflow.getHandle(workflowId);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect((await handle.fetchHistory()).events?.length).toBe(eventsBefore);
      expect(await handle.result()).toMatch(/^pong: before restart/);
      await clientAfter.connection.close();

      const storeAfter = await connectWeaviate(stack.weaviate.endpoint);
      const object = await storeAfter.collections.get('RestartProbe').query.fetchObjectById(objectId);
      expect(object?.properties.text).toBe('kept');
      await storeAfter.close();

      const dbAfter = new pg.Client({ connectionString: stack.postgres.endpoint.url });
      await dbAfter.connect();
      const rows = await dbAfter.query('select note from restart_probe where id = $1', [rowId]);
      await dbAfter.end();
      expect(rows.rows).toEqual([{ note: 'kept' }]);
    } finally {
      await stack?.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
