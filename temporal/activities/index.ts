import { createPingActivities } from './ping.ts';

/** The activity map the worker registers; dependencies are injected here as they grow. */
export function createActivities() {
  return { ...createPingActivities() };
}

export type Activities = ReturnType<typeof createActivities>;
