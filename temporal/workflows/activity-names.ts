// Activity type names, shared by the worker (which registers them) and the interpreter (which calls them).
export const nodeActivityName = (type: string, version: number): string => `node:${type}@${version}`;
export const compensationActivityName = (type: string, version: number): string => `compensate:${type}@${version}`;
export const NODE_ACTIVITY_PREFIX = 'node:';
export const COMPENSATION_ACTIVITY_PREFIX = 'compensate:';
// The agent node's steps (temporal/workflows/agent-loop.ts): one activity type each, versioned like nodes.
export const AGENT_PREPARE = 'agent:prepare@1';
export const AGENT_THINK = 'agent:think@1';
export const AGENT_TOOL = 'agent:tool@1';
