import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { createActivities } from './activities/index.ts';

export const workflowsPath = path.join(path.dirname(new URL(import.meta.url).pathname), 'workflows', 'index.ts');

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
}

/** A worker for Trellis's workflows and activities on one task queue. Scale out by running more. */
export async function createWorker(options: WorkerOptions): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath,
    activities: createActivities(),
  });
  return { worker, close: () => connection.close() };
}
