import { defineNode } from '../sdk/define-node.ts';
import { runGenerate } from './activity.ts';
import { generateDeclaration } from './definition.ts';

export const generateNode = defineNode(generateDeclaration, runGenerate);
