import type { RunFn } from '../sdk/define-node.ts';
import { evaluate } from '../sdk/expression.ts';
import type { ConditionConfig, ConditionInput, ConditionOutput } from './definition.ts';

/** Only one output port is set; the interpreter skips whatever hangs off the other one. */
export const runCondition: RunFn<ConditionConfig, ConditionInput, ConditionOutput> = async (input, config, context) => {
  const passed = Boolean(await evaluate(config.test, input.value, { where: `node "${context.nodeId}"` }));
  return { output: passed ? { true: input.value } : { false: input.value }, meta: { notes: [`test was ${passed}`] } };
};
