import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import type { NodeServices } from '../nodes/sdk/context.ts';
import type { NodeRegistry } from '../nodes/sdk/registry.ts';
import { createActivities } from './activities/index.ts';
import { createAgentActivities } from './activities/agent-activities.ts';
import { createNodeActivities } from './activities/node-activities.ts';
import { createReviewActivities } from './activities/review-activities.ts';

export const workflowsPath = path.join(path.dirname(new URL(import.meta.url).pathname), 'workflows', 'index.ts');

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  /** With both, the worker runs workflow plans; without, only the built-in ping workflow. */
  registry?: NodeRegistry;
  services?: NodeServices;
  /** Another workflows module (benchmarks and replay tests bring their own). */
  workflowsPath?: string;
  /** Encrypts every payload the worker writes to history (temporal/codec); the product always passes one. */
  payloadCodec?: PayloadCodec;
}

/** A worker for Trellis's workflows and activities on one task queue. Scale out by running more. */
export async function createWorker(options: WorkerOptions): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const planActivities =
    options.registry && options.services
      ? {
          ...createNodeActivities(options.registry, options.services),
          ...createReviewActivities(options.services.db),
          ...createAgentActivities(options.registry, options.services),
        }
      : {};
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: options.workflowsPath ?? workflowsPath,
    activities: { ...createActivities(), ...planActivities },
    ...(options.payloadCodec ? { dataConverter: { payloadCodecs: [options.payloadCodec] } } : {}),
  });
  return { worker, close: () => connection.close() };
}
