import { defineNode } from '../sdk/define-node.ts';
import { runCondition } from './activity.ts';
import { conditionDeclaration } from './definition.ts';

export const conditionNode = defineNode(conditionDeclaration, runCondition);
