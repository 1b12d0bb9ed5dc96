import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eraseClientRecords, getErasure } from '../../store/client-erasure.ts';
import { createClient, getClient } from '../../store/clients.ts';
import { appendProjectRecord } from '../../store/project-records.ts';
import { createProject } from '../../store/projects.ts';
import { connectDb } from '../../store/db.ts';
import { recordEvent } from '../../store/events.ts';

// The source-of-truth half of "forget this client": what goes, and what is kept for the law
// (invoices, stripped of notes, pointing at an anonymous client row).
describe('eraseClientRecords', () => {
  const db = connectDb(inject('services').postgres);
  afterAll(() => db.close());

  async function invoiceFor(clientId: string, projectId: string): Promise<string> {
    const id = randomUUID();
    await db.query(
      `insert into invoices (id, series, sequence, number, client_id, project_id, currency, issue_date, due_date,
         net_minor, tax_minor, total_minor, notes, idempotency_key)
       values ($1, $2, 1, $2 || '-1', $3, $4, 'EUR', '2026-11-01', '2026-12-01', 10000, 2300, 12300,
         'Ana asked for the invoice to go to her home address', $1)`,
      [id, `ERASE${randomUUID().slice(0, 8)}`, clientId, projectId],
    );
    return id;
  }

  async function reviewTaskMentioning(clientId: string): Promise<string> {
    const id = `erase-task-${randomUUID()}`;
    await db.query(
      `insert into review_tasks (id, kind, run_id, workflow_id, node_id, title, context)
       values ($1, 'draft', 'run', 'wf', 'draft', 'Reply to Ana', $2)`,
      [id, JSON.stringify({ input: { event: { clientId, payload: { text: 'private' } } } })],
    );
    await db.query(`update review_tasks set state = 'approved', reviewer = 'lena' where id = $1`, [id]);
    await db.query(
      `insert into review_transitions (task_id, from_state, to_state, by) values ($1, 'pending', 'approved', 'lena')`,
      [id],
    );
    return id;
  }

  it('deletes projects, records and review tasks, keeps invoices without notes, and records who and when', async () => {
    const ana = await createClient(db, { name: 'Ana Pereira', emails: [`ana.${randomUUID().slice(0, 6)}@example.pt`] });
    const bruno = await createClient(db, { name: 'Bruno Costa' });
    const project = await createProject(db, { clientId: ana.id, name: 'Bakery site' });
    await appendProjectRecord(db, {
      projectId: project.id,
      kind: 'reply',
      title: 'Approved reply',
      body: { text: 'Dear Ana' },
      idempotencyKey: randomUUID(),
      runId: 'run',
      nodeId: 'draft',
    });
    const invoice = await invoiceFor(ana.id, project.id);
    const anaTask = await reviewTaskMentioning(ana.id);
    const brunoTask = await reviewTaskMentioning(bruno.id);

    const erasure = await eraseClientRecords(db, {
      clientId: ana.id,
      erasedBy: 'token "ops"',
      reason: 'asked to be forgotten',
      memoryRecords: 3,
      runsTerminated: 0,
    });
    expect(erasure.counts).toEqual({
      events: 0,
      projects: 1,
      projectRecords: 1,
      corrections: 0,
      routings: 0,
      reviewTasks: 1,
      memoryRecords: 3,
      runsTerminated: 0,
      invoicesKept: 1,
      clientRow: 'anonymised',
    });
    expect(await getClient(db, ana.id)).toMatchObject({ name: 'erased client', emails: [], billing: {} });
    const kept = await db.query('select notes, project_id, total_minor from invoices where id = $1', [invoice]);
    expect(kept.rows).toEqual([{ notes: null, project_id: null, total_minor: 12300 }]);
    const tasks = await db.query('select id from review_tasks where id = any($1)', [[anaTask, brunoTask]]);
    expect(tasks.rows).toEqual([{ id: brunoTask }]);
    expect(await getErasure(db, ana.id)).toEqual({
      clientId: ana.id,
      erasedAt: erasure.erasedAt,
      erasedBy: 'token "ops"',
      reason: 'asked to be forgotten',
      counts: erasure.counts,
    });
    // The guard stays on outside the erasure's transaction: another client's event cannot be deleted.
    const { event } = await recordEvent(
      db,
      {
        type: 'note.added',
        actor: { kind: 'person', name: 'Bruno' },
        source: { kind: 'manual', uri: `note:${randomUUID()}`, version: '1' },
        occurredAt: '2026-12-01T09:00:00Z',
        confidence: 1,
        payload: { text: 'hello' },
        metadata: {},
      },
      { idempotencyKey: randomUUID(), clientId: bruno.id },
    );
    await expect(db.query('delete from events where id = $1', [event.id])).rejects.toThrow(/append-only/);
  });
});
