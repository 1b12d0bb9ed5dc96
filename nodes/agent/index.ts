import { defineNode } from '../sdk/define-node.ts';
import { agentDeclaration } from './definition.ts';

export { agentDeclaration, type AgentConfig, type AgentInput, type AgentOutput } from './definition.ts';

/** No run function: the interpreter runs the loop (temporal/workflows/agent-loop.ts), one activity per step. */
export const agentNode = defineNode(agentDeclaration);
