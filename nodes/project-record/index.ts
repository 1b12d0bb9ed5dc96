import { defineNode } from '../sdk/define-node.ts';
import { runProjectRecord } from './activity.ts';
import { projectRecordDeclaration } from './definition.ts';

export { defaultRecordUri } from './activity.ts';

export const projectRecordNode = defineNode(projectRecordDeclaration, runProjectRecord);
