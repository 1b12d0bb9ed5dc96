import { defineNode } from '../sdk/define-node.ts';
import { runVoidInvoice } from './activity.ts';
import { voidInvoiceDeclaration } from './definition.ts';

export const voidInvoiceNode = defineNode(voidInvoiceDeclaration, runVoidInvoice);
