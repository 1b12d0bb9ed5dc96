import { defineNode } from '../sdk/define-node.ts';
import { runMcpTool } from './activity.ts';
import { mcpToolDeclaration } from './definition.ts';

export const mcpToolNode = defineNode(mcpToolDeclaration, runMcpTool);
