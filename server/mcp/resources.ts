// What Trellis shows an MCP client to read: workflow definitions, run ledgers and the operator
// metrics, under trellis:// URIs, each read through the same API routes as the tools.
import { type ApiCaller, type ApiReply } from './api.ts';

export const resourceTemplates = [
  {
    uriTemplate: 'trellis://workflows/{workflowId}',
    name: 'workflow',
    title: 'Workflow definition',
    description: 'A workflow: its draft graph, published version and trigger.',
    mimeType: 'application/json',
  },
  {
    uriTemplate: 'trellis://runs/{runId}/ledger',
    name: 'run-ledger',
    title: 'Run ledger',
    description: 'Every step of a run, read from its Temporal history.',
    mimeType: 'application/json',
  },
] as const;

export const metricsResource = {
  uri: 'trellis://metrics',
  name: 'metrics',
  title: 'Operator metrics',
  description: 'Runs, review load, automation rate, costs and failures over a recent window.',
  mimeType: 'application/json',
} as const;

/** The API call that reads a resource URI, or undefined when Trellis has no such resource. */
export function readResource(uri: string, api: ApiCaller): Promise<ApiReply> | undefined {
  if (uri === metricsResource.uri) return api('GET', '/metrics');
  const workflow = /^trellis:\/\/workflows\/([^/]+)$/.exec(uri);
  if (workflow) return api('GET', `/workflows/${encodeURIComponent(decodeURIComponent(workflow[1]!))}`);
  const ledger = /^trellis:\/\/runs\/([^/]+)\/ledger$/.exec(uri);
  if (ledger) return api('GET', `/runs/${encodeURIComponent(decodeURIComponent(ledger[1]!))}/ledger`);
  return undefined;
}

/** The workflows as resources, for resources/list. */
export async function listResources(api: ApiCaller) {
  const reply = await api('GET', '/workflows');
  const workflows =
    reply.status === 200 ? (reply.body as { workflows: { id: string; name?: string }[] }).workflows : [];
  return [
    metricsResource,
    ...workflows.map((w) => ({
      uri: `trellis://workflows/${encodeURIComponent(w.id)}`,
      name: w.id,
      title: w.name ?? w.id,
      mimeType: 'application/json',
    })),
  ];
}
