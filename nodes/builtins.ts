import { agentNode } from './agent/index.ts';
import { billableItemsNode } from './billable-items/index.ts';
import { clientIntakeNode } from './client-intake/index.ts';
import { conditionNode } from './condition/index.ts';
import { extractNode } from './extract/index.ts';
import { generateNode } from './generate/index.ts';
import { humanReviewNode } from './human-review/index.ts';
import { ingestNode } from './ingest/index.ts';
import { invoiceNode } from './invoice/index.ts';
import { mcpToolNode } from './mcp-tool/index.ts';
import { memoryMaintenanceNode } from './memory-maintenance/index.ts';
import { overdueInvoicesNode } from './overdue-invoices/index.ts';
import { projectActivityNode } from './project-activity/index.ts';
import { projectRecordNode } from './project-record/index.ts';
import { rememberNode } from './remember/index.ts';
import { retrieveNode } from './retrieve/index.ts';
import { sendEmailNode } from './send-email/index.ts';
import type { NodeDefinition } from './sdk/define-node.ts';
import { NodeRegistry } from './sdk/registry.ts';
import { transformNode } from './transform/index.ts';
import { triggerNode } from './trigger/index.ts';
import { voidInvoiceNode } from './void-invoice/index.ts';

/** Every node type Trellis ships, listed explicitly (STYLE.md: no directory scanning for built-ins). */
export const builtinNodes: NodeDefinition[] = [
  triggerNode,
  ingestNode,
  retrieveNode,
  rememberNode,
  extractNode,
  generateNode,
  humanReviewNode,
  invoiceNode,
  conditionNode,
  transformNode,
  projectRecordNode,
  projectActivityNode,
  clientIntakeNode,
  billableItemsNode,
  overdueInvoicesNode,
  voidInvoiceNode,
  memoryMaintenanceNode,
  sendEmailNode,
  mcpToolNode,
  agentNode,
];

export function createBuiltinRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  for (const node of builtinNodes) registry.register(node, 'builtin');
  return registry;
}
