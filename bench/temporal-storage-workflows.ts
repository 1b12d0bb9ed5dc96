// A bare chain of activities, for comparing how the dev server stores history (bench/temporal-storage.ts).
import { proxyActivities } from '@temporalio/workflow';

const { step } = proxyActivities<{ step(value: number, sleepMs: number): Promise<number> }>({
  startToCloseTimeout: '10 seconds',
});

export async function storageChain(steps: number, sleepMs: number): Promise<number> {
  let value = 0;
  for (let i = 0; i < steps; i++) value = await step(value, sleepMs);
  return value;
}
