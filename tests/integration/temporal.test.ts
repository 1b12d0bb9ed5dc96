import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { connectClient } from '../../temporal/client.ts';
import { createWorker } from '../../temporal/worker.ts';

describe('Temporal dev server', () => {
  const { temporal } = inject('services');
  const taskQueue = `test-ping-${randomUUID()}`;
  let client: Client;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    client = await connectClient(temporal);
    const { worker, close } = await createWorker({ ...temporal, taskQueue });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await close();
    };
  });

  afterAll(async () => {
    await stopWorker();
    await client.connection.close();
  });

  it('runs a workflow to completion through a real worker', async () => {
    const workflowId = `ping-${randomUUID()}`;
    const result = await client.workflow.execute('ping', { taskQueue, workflowId, args: ['hello'] });
    expect(result).toMatch(/^pong: hello \(attempt 1, pid \d+\)$/);
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const types = (history.events ?? []).map((event) => event.eventType);
    expect(types.length).toBeGreaterThanOrEqual(11);
  });

  it('reports the server version pinned by the launcher', async () => {
    const info = await client.connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
