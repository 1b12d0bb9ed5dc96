import { defineNode } from '../sdk/define-node.ts';
import { runRemember } from './activity.ts';
import { rememberDeclaration } from './definition.ts';

export const rememberNode = defineNode(rememberDeclaration, runRemember);
