import { defineNode } from '../sdk/define-node.ts';
import { runRetrieve } from './activity.ts';
import { retrieveDeclaration } from './definition.ts';

export const retrieveNode = defineNode(retrieveDeclaration, runRetrieve);
