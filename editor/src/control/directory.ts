// Names for the ids the control plane speaks in: workflows and clients, fetched once per page.
import { useMemo } from 'react';
import { useApi } from '../api/use-api.ts';
import type { Client, WorkflowSummary } from '../api/types.ts';

/** What the control plane needs of a client: its id and the name people know it by. */
export type ClientSummary = Pick<Client, 'id' | 'name'>;

export interface Directory {
  workflows: WorkflowSummary[];
  /** Workflows with a published version: the only ones a rule, a triage choice or a default can run. */
  published: WorkflowSummary[];
  clients: ClientSummary[];
  workflowName: (id: string | undefined) => string;
  clientName: (id: string | undefined) => string;
  error: string | undefined;
}

export function useDirectory(): Directory {
  const workflows = useApi<{ workflows: WorkflowSummary[] }>('/workflows');
  const clients = useApi<{ clients: ClientSummary[] }>('/clients?limit=500');
  return useMemo(() => {
    const list = workflows.data?.workflows ?? [];
    const people = clients.data?.clients ?? [];
    const workflowNames = new Map(list.map((w) => [w.id, w.name]));
    const clientNames = new Map(people.map((c) => [c.id, c.name]));
    return {
      workflows: list,
      published: list.filter((w) => w.latestVersion).sort((a, b) => a.name.localeCompare(b.name)),
      clients: people,
      workflowName: (id) => (id ? (workflowNames.get(id) ?? id) : '—'),
      clientName: (id) => (id ? (clientNames.get(id) ?? id) : 'any client'),
      error: workflows.error ?? clients.error,
    };
  }, [workflows.data, workflows.error, clients.data, clients.error]);
}
