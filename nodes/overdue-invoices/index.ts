import { defineNode } from '../sdk/define-node.ts';
import { runOverdueInvoices } from './activity.ts';
import { overdueInvoicesDeclaration } from './definition.ts';

export const overdueInvoicesNode = defineNode(overdueInvoicesDeclaration, runOverdueInvoices);
