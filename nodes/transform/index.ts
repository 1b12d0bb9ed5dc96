import { defineNode } from '../sdk/define-node.ts';
import { runTransform } from './activity.ts';
import { transformDeclaration } from './definition.ts';

export const transformNode = defineNode(transformDeclaration, runTransform);
