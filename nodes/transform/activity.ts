import type { RunFn } from '../sdk/define-node.ts';
import { evaluate } from '../sdk/expression.ts';
import type { TransformConfig, TransformInput, TransformOutput } from './definition.ts';

export const runTransform: RunFn<TransformConfig, TransformInput, TransformOutput> = async (input, config, context) => {
  const value = await evaluate(config.expression, input.value, { where: `node "${context.nodeId}"` });
  return { output: { value: value ?? null } };
};
