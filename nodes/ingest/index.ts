import { defineNode } from '../sdk/define-node.ts';
import { runIngest } from './activity.ts';
import { ingestDeclaration } from './definition.ts';

export const ingestNode = defineNode(ingestDeclaration, runIngest);
