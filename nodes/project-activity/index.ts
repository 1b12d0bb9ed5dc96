import { defineNode } from '../sdk/define-node.ts';
import { runProjectActivity } from './activity.ts';
import { projectActivityDeclaration } from './definition.ts';

export const projectActivityNode = defineNode(projectActivityDeclaration, runProjectActivity);
