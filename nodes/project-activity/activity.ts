import { getClient } from '../../store/clients.ts';
import { getProject } from '../../store/projects.ts';
import { listProjectRecords, type ProjectRecord } from '../../store/project-records.ts';
import { listEvents } from '../../store/events.ts';
import { textOf } from '../remember/activity.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { ProjectActivityConfig, ProjectActivityInput, ProjectActivityOutput } from './definition.ts';

const DAY = 86_400_000;

function cut(text: string, max: number): string {
  const flat = text.trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A record's content as text: project-record bodies wrap it as `{ content }`. */
function recordText(record: ProjectRecord): string {
  const body = record.body as { content?: unknown } | null;
  return textOf(body && typeof body === 'object' && 'content' in body ? body.content : body);
}

export const runProjectActivity: RunFn<ProjectActivityConfig, ProjectActivityInput, ProjectActivityOutput> = async (
  input,
  config,
  context,
) => {
  const { db } = context.services;
  const given = config.projectId ?? input.data?.projectId ?? input.event?.projectId;
  if (typeof given !== 'string' || !given) {
    throw new NodeInputError(
      'project-activity needs a project: set projectId in the config, the run data or the event',
    );
  }
  const project = await getProject(db, given);
  if (!project) throw new NodeInputError(`project ${given} does not exist`);
  const client = project.clientId ? await getClient(db, project.clientId) : undefined;
  const to = context.services.now();
  const from = new Date(to.getTime() - (config.days ?? 7) * DAY);
  const max = config.maxItems ?? 100;
  const chars = config.maxTextChars ?? 1_000;

  const { events } = await listEvents(db, {
    projectId: project.id,
    status: 'accepted',
    since: from.toISOString(),
    until: to.toISOString(),
    limit: max,
  });
  // Newest first; stop at the first record older than the period.
  const kinds = config.recordKinds?.length ? new Set(config.recordKinds) : undefined;
  const records: ProjectRecord[] = [];
  let cursor: string | undefined;
  outer: do {
    const page = await listProjectRecords(db, { projectId: project.id, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) {
      if (Date.parse(record.createdAt) < from.getTime()) break outer;
      if (Date.parse(record.createdAt) > to.getTime() || (kinds && !kinds.has(record.kind))) continue;
      records.push(record);
      if (records.length >= max) break outer;
    }
    cursor = page.nextCursor;
  } while (cursor);

  const activity = {
    project: {
      id: project.id,
      name: project.name,
      status: project.status,
      ...(project.clientId ? { clientId: project.clientId } : {}),
      ...(client ? { clientName: client.name } : {}),
    },
    from: from.toISOString(),
    to: to.toISOString(),
    // Oldest first reads as a story.
    events: events.reverse().map((event) => ({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      from: event.actor.name ?? event.actor.address ?? event.actor.kind,
      ...(event.payload.subject ? { subject: event.payload.subject } : {}),
      text: cut(event.payload.text ?? '', chars),
    })),
    records: records.reverse().map((record) => ({
      id: record.id,
      kind: record.kind,
      title: record.title,
      version: record.version,
      createdAt: record.createdAt,
      text: cut(recordText(record), chars),
    })),
  };
  const notes = [`${activity.events.length} events and ${activity.records.length} records since ${activity.from}`];
  return { output: { activity }, meta: { notes } };
};
