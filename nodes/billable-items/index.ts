import { defineNode } from '../sdk/define-node.ts';
import { runBillableItems } from './activity.ts';
import { billableItemsDeclaration } from './definition.ts';

export const billableItemsNode = defineNode(billableItemsDeclaration, runBillableItems);
