import { defineNode } from '../sdk/define-node.ts';
import { runMemoryMaintenance } from './activity.ts';
import { memoryMaintenanceDeclaration } from './definition.ts';

export const memoryMaintenanceNode = defineNode(memoryMaintenanceDeclaration, runMemoryMaintenance);
export { retentionPolicySchema } from './definition.ts';
