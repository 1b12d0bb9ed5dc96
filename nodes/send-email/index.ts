import { defineNode } from '../sdk/define-node.ts';
import { runSendEmail } from './activity.ts';
import { sendEmailDeclaration } from './definition.ts';

export const sendEmailNode = defineNode(sendEmailDeclaration, runSendEmail);
