import {
  appendProjectRecord,
  supersedeProjectRecord,
  type ProjectRecord,
  type StoredProjectRecord,
} from '../../store/project-records.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import { declined, humanReviewer } from './decision.ts';
import type { ProjectRecordConfig, ProjectRecordInput, ProjectRecordOutput } from './definition.ts';

/** Where versions of a project's record of one kind live when the config names no source. */
export function defaultRecordUri(projectId: string, kind: string): string {
  return `trellis://projects/${encodeURIComponent(projectId)}/${kind}`;
}

function textField(value: unknown, field: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found.trim() ? found.trim() : undefined;
}

function titleOf(input: ProjectRecordInput, config: ProjectRecordConfig): string {
  const title =
    config.title ??
    textField(input.content, 'subject') ??
    textField(input.content, 'title') ??
    textField(input.content, 'number') ??
    input.event?.payload.subject?.trim() ??
    config.kind;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title || config.kind;
}

function asOutput(record: ProjectRecord, supersedes?: string): NonNullable<ProjectRecordOutput['record']> {
  return {
    id: record.id,
    projectId: record.projectId,
    kind: record.kind,
    title: record.title,
    version: record.version,
    ...(record.sourceUri ? { sourceUri: record.sourceUri } : {}),
    body: record.body,
    ...(supersedes ? { supersedes } : {}),
    createdAt: record.createdAt,
  };
}

function isMissingProject(error: unknown): boolean {
  return (error as { code?: string }).code === '23503';
}

/** Appends or supersedes once per idempotency key: a retry returns the record the first attempt wrote. */
export const runProjectRecord: RunFn<ProjectRecordConfig, ProjectRecordInput, ProjectRecordOutput> = async (
  input,
  config,
  context,
) => {
  if (declined(input.decision)) {
    const reason = `the review was ${input.decision}${input.reviewer ? ` by ${input.reviewer}` : ''}: nothing written`;
    return { output: { written: false, reason }, meta: { notes: [reason] } };
  }
  const projectId = config.projectId ?? input.projectId ?? input.event?.projectId;
  if (!projectId) {
    throw new NodeInputError(
      'project-record needs a project: set projectId in the config, wire a projectId, or an event linked to a project',
    );
  }
  const reviewedBy = humanReviewer(input.reviewer);
  const body = {
    content: input.content,
    ...(reviewedBy ? { reviewedBy } : {}),
    ...(input.decision ? { decision: input.decision } : {}),
    ...(input.settles?.length ? { settles: [...input.settles] } : {}),
    ...(input.event ? { eventId: input.event.id } : {}),
  };
  const common = {
    projectId,
    kind: config.kind,
    title: titleOf(input, config),
    body,
    idempotencyKey: context.idempotencyKey,
    runId: context.workflowId,
    nodeId: context.nodeId,
  };
  const { db } = context.services;
  let stored: StoredProjectRecord & { previous?: ProjectRecord };
  try {
    if ((config.mode ?? 'append') === 'supersede') {
      stored = await supersedeProjectRecord(db, {
        ...common,
        sourceUri: config.sourceUri ?? defaultRecordUri(projectId, config.kind),
      });
    } else {
      const sourceUri = config.sourceUri ?? input.event?.source.uri;
      stored = await appendProjectRecord(db, { ...common, ...(sourceUri ? { sourceUri } : {}) });
    }
  } catch (error) {
    if (isMissingProject(error)) throw new NodeInputError(`project ${projectId} does not exist`);
    throw error;
  }
  const { record, duplicate, previous } = stored;
  const notes = [
    duplicate
      ? `record ${record.id} was already written for this key`
      : `${config.kind} v${record.version} on project ${projectId}${previous ? ` (supersedes ${previous.id})` : ''}`,
  ];
  return { output: { written: true, record: asOutput(record, previous?.id) }, meta: { notes } };
};
