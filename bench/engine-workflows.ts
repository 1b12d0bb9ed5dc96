// The interpreter plus a hand-written chain calling the very same activities, for a fair comparison.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { NodeActivityArgs, NodeActivityResult } from '../temporal/workflows/run-types.ts';

export { interpreter } from '../temporal/workflows/interpreter.ts';

type Step = (args: NodeActivityArgs) => Promise<NodeActivityResult>;

export async function handChain(steps: number, local: boolean, sleepMs: number): Promise<number> {
  const options = { startToCloseTimeout: 10_000, retry: { maximumAttempts: 1 } };
  const name = local ? 'node:bench.step-local@1' : 'node:bench.step@1';
  const call = (
    local ? proxyLocalActivities<Record<string, Step>>(options) : proxyActivities<Record<string, Step>>(options)
  )[name] as Step;
  let value = 0;
  for (let i = 0; i < steps; i++) {
    const result = await call({
      node: { id: `s${i}`, type: 'bench', version: 1, config: { sleepMs } },
      input: { value },
      run: { workflowId: 'hand', runId: 'hand', trellisWorkflowId: 'hand', idempotencyKey: `hand/${i}` },
    });
    value = (result.output as { value: number }).value;
  }
  return value;
}
