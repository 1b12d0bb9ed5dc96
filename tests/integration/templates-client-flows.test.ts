import { describe, expect, it } from 'vitest';
import type { Extraction } from '../../nodes/sdk/ports.ts';
import { findClientByAddress } from '../../store/clients.ts';
import { getProjectRecord, listProjectRecords } from '../../store/project-records.ts';
import { listProjects } from '../../store/projects.ts';
import { expectFinalLedger } from '../fixtures/templates/ledger.ts';
import {
  clientEmailTriage,
  confirmedTasks,
  leadIntake,
  meetingNotesToTasks,
  newScope,
  proposalEdited,
  REVIEWER,
  scopeChange,
  statusText,
  triageReply,
  weeklyClientStatus,
} from '../fixtures/templates/scenarios.ts';
import { templateWorld } from '../support/template-world.ts';

/** Records a draft task showed the person writing it: the retrieved context. */
function draftRecords(task: { context: Record<string, unknown> }): string[] {
  return ((task.context.records ?? []) as { record: { text: string } }[]).map((scored) => scored.record.text);
}

describe('client templates, run end to end offline', () => {
  const world = templateWorld();

  it('client email triage: drafts from project context and remembers the approved reply with its reviewer', async () => {
    const { run, project, client, event, seeded } = await clientEmailTriage(world);
    expect(event.projectId).toBe(project.id);
    const ledger = await expectFinalLedger(world.h, run.handle.workflowId, run.plan);

    const draftTask = run.tasks.find((task) => task.nodeId === 'draft');
    expect(draftTask?.kind).toBe('draft');
    expect(draftTask?.reason).toMatch(/provider|model/i);
    expect(draftRecords(draftTask!)).toContain(seeded.text);
    const extraction = ledger.entries.find((e) => e.nodeId === 'actions')?.output as { extraction: Extraction };
    expect(extraction.extraction.actionItems.length).toBeGreaterThanOrEqual(1);
    expect(run.tasks.find((task) => task.nodeId === 'review')?.context).toMatchObject({
      actionItems: expect.any(Array),
    });

    const remembered = run.result.outputs.remember as { ids: string[] };
    expect(remembered.ids).toHaveLength(1);
    const record = await world.services.memory.get(remembered.ids[0]!);
    expect(record).toMatchObject({
      kind: 'message',
      projectId: project.id,
      clientId: client.id,
      confidence: 1,
      source: { uri: event.source.uri, version: event.source.version },
      provenance: { workflowId: run.handle.workflowId, nodeId: 'remember', reviewer: REVIEWER },
    });
    expect(record?.text).toContain(triageReply);
    const found = await world.services.memory.search('when is the revised menu page due', {
      filters: { projectId: project.id, kinds: ['message'] },
      k: 3,
    });
    expect(found.ids).toContain(record?.id);
  });

  it('lead intake: proposal from similar past projects, then the client, the project and the proposal on it', async () => {
    const { run, address, past } = await leadIntake(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    expect(draftRecords(run.tasks.find((task) => task.nodeId === 'proposal')!)).toContain(past.text);

    const client = await findClientByAddress(world.h.db, address);
    expect(client?.name).toMatch(/^Harbor Yoga /);
    const intake = run.result.outputs.intake as { projectId: string; client: { existing: boolean } };
    expect(intake.client.existing).toBe(false);
    const [project] = (await listProjects(world.h.db, { clientId: client!.id })).items;
    expect(project).toMatchObject({ id: intake.projectId, status: 'lead', name: 'New website for our yoga studio' });
    expect(project?.metadata.lead).toMatchObject({ budget: { amountMinor: 450_000, currency: 'EUR' } });
    const [proposal] = (await listProjectRecords(world.h.db, { projectId: project!.id, kind: 'proposal' })).items;
    expect(proposal?.body).toMatchObject({
      content: { kind: 'proposal', text: proposalEdited },
      reviewedBy: REVIEWER,
      decision: 'edited',
    });
  });

  it('lead intake: a rejected proposal creates no client and no project', async () => {
    const { run, address } = await leadIntake(world, undefined, 'rejected');
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan, ['record']);
    expect(run.result.outputs.intake).toMatchObject({ created: false });
    expect(await findClientByAddress(world.h.db, address)).toBeUndefined();
  });

  it('meeting notes to tasks: the confirmed task list lands on the project record', async () => {
    const { run, project } = await meetingNotesToTasks(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    const review = run.tasks.find((task) => task.nodeId === 'review');
    const proposed = review?.proposed as { tasks: { text: string }[] };
    expect(proposed.tasks.length).toBeGreaterThanOrEqual(1);
    expect(review?.valueSchema).toMatchObject({ required: ['tasks'] });
    const [tasks] = (await listProjectRecords(world.h.db, { projectId: project.id, kind: 'tasks' })).items;
    expect(tasks).toMatchObject({ title: 'Tasks from meeting notes', version: 1 });
    expect(tasks?.body).toMatchObject({ content: confirmedTasks, reviewedBy: REVIEWER, decision: 'edited' });
  });

  it('weekly client status: the week’s events and decisions go into the draft, the update onto the project', async () => {
    const { run, project } = await weeklyClientStatus(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    const draftTask = run.tasks.find((task) => task.nodeId === 'draft');
    const data = draftTask?.context.data as { events: { subject?: string }[]; records: { title: string }[] };
    expect(data.events.map((e) => e.subject)).toContain('Mockups approved');
    expect(data.records.map((r) => r.title)).toContain('Photo shoot date');
    const [update] = (await listProjectRecords(world.h.db, { projectId: project.id, kind: 'status-update' })).items;
    expect(update?.body).toMatchObject({ content: { kind: 'status-update', text: statusText }, reviewedBy: REVIEWER });
  });

  it('scope change: the agreed scope is retrieved and superseded by version 2', async () => {
    const { run, project, v1, agreed } = await scopeChange(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    expect(draftRecords(run.tasks.find((task) => task.nodeId === 'estimate')!)).toContain(agreed);
    const current = (await listProjectRecords(world.h.db, { projectId: project.id, kind: 'scope' })).items;
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ version: 2, sourceUri: v1.sourceUri });
    expect(current[0]?.body).toMatchObject({ content: { kind: 'estimate', text: newScope }, reviewedBy: REVIEWER });
    expect(await getProjectRecord(world.h.db, v1.id)).toMatchObject({ version: 1, supersededBy: current[0]?.id });
    expect(run.result.outputs.record).toMatchObject({ written: true, record: { version: 2, supersedes: v1.id } });
  });
});
