// The form of one routing rule: the shared rule schema, with the workflow picked by name among
// the published ones (a free id would only be refused by the server) and the client by name.
import type { UiSchema } from '@rjsf/utils';
import { routingRuleSchema } from '../../../../control/schemas/routing.ts';
import type { WorkflowSummary } from '../../api/types.ts';
import type { ClientSummary } from '../directory.ts';

export function ruleForm(
  published: WorkflowSummary[],
  inUse: string[],
  clients: ClientSummary[],
  clientsInUse: string[],
): { schema: object; ui: UiSchema } {
  const names = new Map(published.map((w) => [w.id, w.name]));
  const ids = [...new Set([...published.map((w) => w.id), ...inUse])];
  const clientNames = new Map(clients.map((c) => [c.id, c.name]));
  const sortedClients = [...clients].sort((a, b) => a.name.localeCompare(b.name));
  const clientIds = [...new Set([...sortedClients.map((c) => c.id), ...clientsInUse])];
  const { workflowId, description, clientId, ...properties } = routingRuleSchema.properties;
  const schema = {
    ...routingRuleSchema,
    properties: {
      ...properties,
      description: { ...description, title: 'Description' },
      workflowId: ids.length > 0 ? { ...workflowId, enum: ids } : workflowId,
      clientId: clientIds.length > 0 ? { ...clientId, enum: clientIds } : clientId,
    },
  };
  const ui: UiSchema = {
    'ui:order': [
      'id',
      'intent',
      'sourceKind',
      'clientId',
      'projectId',
      'minConfidence',
      'workflowId',
      'version',
      'inputMapping',
      'description',
    ],
    id: { 'ui:placeholder': 'billing-northwind' },
    workflowId: { 'ui:enumNames': ids.map((id) => names.get(id) ?? `${id} (not published)`) },
    clientId: { 'ui:enumNames': clientIds.map((id) => clientNames.get(id) ?? id) },
    minConfidence: { 'ui:placeholder': '0.6' },
    inputMapping: { 'ui:placeholder': '{ "event": $ }' },
  };
  return { schema, ui };
}
