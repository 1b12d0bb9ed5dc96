// Node types for the engine benchmark: a ~10 ms task and a no-op, each as a normal and a local activity.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineNode, type NodeDeclaration } from '../nodes/sdk/define-node.ts';

const input = {
  type: 'object',
  required: ['value'],
  properties: { value: { title: 'Previous value (or the run data)' } },
} as const;
const output = { type: 'object', required: ['value'], properties: { value: { type: 'integer' } } } as const;

function declaration(type: string, kind: 'activity' | 'local'): NodeDeclaration {
  return {
    type,
    version: 1,
    title: type,
    description: 'Benchmark step: adds one to its input.',
    category: 'logic',
    config: { type: 'object', properties: { sleepMs: { type: 'integer', minimum: 0 } } },
    input,
    output,
    execution: { kind, timeoutMs: 10_000, retry: { maximumAttempts: 1 } },
    sideEffects: false,
  };
}

const step = async (input: { value: unknown }, config: { sleepMs?: number }) => {
  if (config.sleepMs) await sleep(config.sleepMs);
  return { output: { value: typeof input.value === 'number' ? input.value + 1 : 1 } };
};

export const nodes = [
  defineNode(declaration('bench.step', 'activity'), step),
  defineNode(declaration('bench.step-local', 'local'), step),
];
