import { defineNode } from '../sdk/define-node.ts';
import { runInvoice } from './activity.ts';
import { compensateInvoice } from './compensation.ts';
import { invoiceDeclaration } from './definition.ts';

export { compensateInvoice, voidInvoiceIssuedUnder } from './compensation.ts';

export const invoiceNode = defineNode(invoiceDeclaration, runInvoice, compensateInvoice);
