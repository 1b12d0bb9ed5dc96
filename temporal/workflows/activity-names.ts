// Activity type names, shared by the worker (which registers them) and the interpreter (which calls them).
export const nodeActivityName = (type: string, version: number): string => `node:${type}@${version}`;
export const compensationActivityName = (type: string, version: number): string => `compensate:${type}@${version}`;
export const NODE_ACTIVITY_PREFIX = 'node:';
export const COMPENSATION_ACTIVITY_PREFIX = 'compensate:';
