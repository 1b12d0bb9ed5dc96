import { defineNode } from '../sdk/define-node.ts';
import { triggerDeclaration } from './definition.ts';

/** No code: the interpreter hands the run input to the trigger's output ports. */
export const triggerNode = defineNode(triggerDeclaration);
