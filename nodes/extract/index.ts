import { defineNode } from '../sdk/define-node.ts';
import { runExtract } from './activity.ts';
import { extractDeclaration } from './definition.ts';

export const extractNode = defineNode(extractDeclaration, runExtract);
