import { getClient } from '../../store/clients.ts';
import { getProject } from '../../store/projects.ts';
import { listProjectRecords, type ProjectRecord } from '../../store/project-records.ts';
import type { Queryable } from '../../store/db.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import {
  billableKinds,
  type BillableItemsConfig,
  type BillableItemsInput,
  type BillableItemsOutput,
} from './definition.ts';
import { itemOf, settledBy } from './items.ts';

/** Every current record of a kind on a project, oldest first. */
async function allRecords(db: Queryable, projectId: string, kind: string): Promise<ProjectRecord[]> {
  const records: ProjectRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProjectRecords(db, { projectId, kind, limit: 500, ...(cursor ? { cursor } : {}) });
    records.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return records.reverse();
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export const runBillableItems: RunFn<BillableItemsConfig, BillableItemsInput, BillableItemsOutput> = async (
  input,
  config,
  context,
) => {
  const { db } = context.services;
  const given = config.projectId ?? input.data?.projectId;
  if (typeof given !== 'string' || !given) {
    throw new NodeInputError('billable-items needs a project: set projectId in the config or in the run data');
  }
  const project = await getProject(db, given);
  if (!project) throw new NodeInputError(`project ${given} does not exist`);
  if (!project.clientId) throw new NodeInputError(`project ${project.id} has no client to invoice`);
  const client = await getClient(db, project.clientId);
  const rate =
    config.defaultRateMinor ?? wholeNumber(project.metadata.rateMinor) ?? wholeNumber(client?.billing.rateMinor);

  const settled = new Set((await allRecords(db, project.id, 'invoice')).flatMap(settledBy));
  const open: ProjectRecord[] = [];
  for (const kind of billableKinds) open.push(...(await allRecords(db, project.id, kind)));
  const unbilled = open
    .filter((record) => !settled.has(record.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const items = unbilled.map((record) => itemOf(record, rate));
  const recordIds = unbilled.map((record) => record.id);
  const notes = [`${items.length} unbilled of ${open.length} billable records on project ${project.id}`];
  if (items.length === 0) return { output: { projectId: project.id, recordIds, count: 0 }, meta: { notes } };
  return {
    output: {
      billing: { clientId: project.clientId, projectId: project.id, items },
      projectId: project.id,
      recordIds,
      count: items.length,
    },
    meta: { notes },
  };
};
