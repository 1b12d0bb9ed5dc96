import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  addProjectThread,
  createProject,
  findProjectByThread,
  findSingleActiveProject,
  getProject,
  listProjects,
  setProjectStatus,
} from '../../store/projects.ts';
import {
  appendProjectRecord,
  getProjectRecord,
  listProjectRecords,
  supersedeProjectRecord,
} from '../../store/project-records.ts';
import { createClient, findClientByAddress, getClient, listClients, updateClient } from '../../store/clients.ts';
import type { Db } from '../../store/db.ts';
import { dbTargets, openDb, unique } from '../fixtures/ingest/support.ts';

describe.each(dbTargets(inject('services')))('store/clients on $name', (target) => {
  const db: Db = openDb(target);
  afterAll(() => db.close());

  describe('clients', () => {
    it('creates a client with normalised addresses and reads it back', async () => {
      const tag = unique();
      const created = await createClient(db, {
        name: `Acme ${tag}`,
        emails: [` Jane@Acme-${tag}.example `, `jane@acme-${tag}.example`],
        domains: [`@Acme-${tag}.Example.`],
        billing: { currency: 'EUR', vatId: 'DE123' },
      });
      expect(created.emails).toEqual([`jane@acme-${tag}.example`]);
      expect(created.domains).toEqual([`acme-${tag}.example`]);
      expect(await getClient(db, created.id)).toEqual(created);
      expect(await getClient(db, 'no-such-client')).toBeUndefined();
    });

    it('updates only the fields given', async () => {
      const client = await createClient(db, { name: `Old ${unique()}`, emails: ['a@x.example'] });
      const updated = await updateClient(db, client.id, { domains: ['X.example'] });
      expect(updated).toMatchObject({ name: client.name, emails: ['a@x.example'], domains: ['x.example'] });
      expect(await updateClient(db, 'no-such-client', { name: 'n' })).toBeUndefined();
    });

    it('pages through clients by name with a search', async () => {
      const tag = unique();
      for (const letter of ['c', 'a', 'e', 'b', 'd']) await createClient(db, { name: `${tag} ${letter}` });
      const first = await listClients(db, { search: tag, limit: 2 });
      const second = await listClients(db, { search: tag, limit: 2, cursor: first.nextCursor });
      const third = await listClients(db, { search: tag, limit: 2, cursor: second.nextCursor });
      expect([...first.items, ...second.items, ...third.items].map((client) => client.name)).toEqual(
        ['a', 'b', 'c', 'd', 'e'].map((letter) => `${tag} ${letter}`),
      );
      expect(third.nextCursor).toBeUndefined();
      await expect(listClients(db, { cursor: 'garbage' })).rejects.toThrow('cursor is not valid');
    });

    it('finds a client by exact email first, then by domain, and never guesses between two', async () => {
      const tag = unique();
      const agency = await createClient(db, { name: 'Agency', domains: [`agency-${tag}.example`] });
      const freelancer = await createClient(db, { name: 'Freelancer', emails: [`kim@agency-${tag}.example`] });
      expect((await findClientByAddress(db, `KIM@agency-${tag}.example`))?.id).toBe(freelancer.id);
      expect((await findClientByAddress(db, `lee@agency-${tag}.example`))?.id).toBe(agency.id);
      expect(await findClientByAddress(db, `lee@elsewhere-${tag}.example`)).toBeUndefined();
      await createClient(db, { name: 'Agency twin', domains: [`agency-${tag}.example`] });
      expect(await findClientByAddress(db, `lee@agency-${tag}.example`)).toBeUndefined();
      expect((await findClientByAddress(db, `kim@agency-${tag}.example`))?.id).toBe(freelancer.id);
    });
  });

  describe('projects', () => {
    it('creates, lists by client and status, and pages newest first', async () => {
      const client = await createClient(db, { name: `P ${unique()}` });
      const made = [];
      for (const name of ['one', 'two', 'three']) {
        made.push(await createProject(db, { clientId: client.id, name }));
        // created_at orders them; the embedded database's clock counts milliseconds.
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await setProjectStatus(db, made[0]!.id, 'done');
      expect(await getProject(db, made[1]!.id)).toEqual(made[1]);
      const active = await listProjects(db, { clientId: client.id, status: 'active' });
      expect(active.items.map((project) => project.name)).toEqual(['three', 'two']);
      const pageOne = await listProjects(db, { clientId: client.id, limit: 2 });
      const pageTwo = await listProjects(db, { clientId: client.id, limit: 2, cursor: pageOne.nextCursor });
      expect([...pageOne.items, ...pageTwo.items].map((project) => project.name)).toEqual(['three', 'two', 'one']);
    });

    it('finds a project by mail thread, adding a thread once', async () => {
      const thread = `root-${unique()}@mail.example`;
      const project = await createProject(db, { name: 'Threaded' });
      expect(await findProjectByThread(db, thread)).toBeUndefined();
      await addProjectThread(db, project.id, thread);
      const again = await addProjectThread(db, project.id, thread);
      expect(again?.threadIds).toEqual([thread]);
      expect((await findProjectByThread(db, thread))?.id).toBe(project.id);
    });

    it('finds the single active project of a client, and none when there are two', async () => {
      const client = await createClient(db, { name: `Single ${unique()}` });
      await createProject(db, { clientId: client.id, name: 'lead', status: 'lead' });
      const active = await createProject(db, { clientId: client.id, name: 'active' });
      expect((await findSingleActiveProject(db, client.id))?.id).toBe(active.id);
      await createProject(db, { clientId: client.id, name: 'second active' });
      expect(await findSingleActiveProject(db, client.id)).toBeUndefined();
    });
  });

  describe('project records', () => {
    const provenance = { runId: 'run-1', nodeId: 'finalise' };

    it('appends a record once per idempotency key, also under concurrent retries', async () => {
      const project = await createProject(db, { name: `Records ${unique()}` });
      const key = `record-${unique()}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          appendProjectRecord(db, {
            projectId: project.id,
            kind: 'task',
            title: 'Send first invoice',
            body: { due: '2024-10-04' },
            sourceUri: 'mid:sow@acme.example',
            idempotencyKey: key,
            ...provenance,
          }),
        ),
      );
      expect(new Set(results.map((result) => result.record.id)).size).toBe(1);
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      const { rows } = await db.query('select count(*)::int as n from project_records where idempotency_key = $1', [
        key,
      ]);
      expect(rows[0]).toEqual({ n: 1 });
      expect(results[0]!.record).toMatchObject({ version: 1, body: { due: '2024-10-04' }, runId: 'run-1' });
    });

    it('supersedes a record from the same source: version + 1, and the old one points to the new', async () => {
      const project = await createProject(db, { name: `Scope ${unique()}` });
      const base = { projectId: project.id, kind: 'scope', sourceUri: 'doc://acme/scope.md', ...provenance };
      const v1 = await supersedeProjectRecord(db, {
        ...base,
        title: 'Scope v1',
        body: ['logo'],
        idempotencyKey: `s1-${unique()}`,
      });
      expect(v1.record.version).toBe(1);
      expect(v1.previous).toBeUndefined();
      const v2 = await supersedeProjectRecord(db, {
        ...base,
        title: 'Scope v2',
        body: ['logo', 'type system'],
        idempotencyKey: `s2-${unique()}`,
      });
      expect(v2.record).toMatchObject({ version: 2, body: ['logo', 'type system'] });
      expect(v2.previous).toMatchObject({ id: v1.record.id, supersededBy: v2.record.id });
      expect((await getProjectRecord(db, v1.record.id))?.supersededBy).toBe(v2.record.id);

      const current = await listProjectRecords(db, { projectId: project.id, kind: 'scope' });
      expect(current.items.map((record) => record.title)).toEqual(['Scope v2']);
      const all = await listProjectRecords(db, { projectId: project.id, kind: 'scope', includeSuperseded: true });
      expect(all.items.map((record) => record.version)).toEqual([2, 1]);

      // A retry of v2 writes nothing.
      const retry = await supersedeProjectRecord(db, {
        ...base,
        title: 'Scope v2',
        body: [],
        idempotencyKey: v2.record.idempotencyKey!,
      });
      expect(retry).toEqual({ record: v2.record, duplicate: true });
    });

    it('gives concurrent new versions distinct, consecutive numbers', async () => {
      const project = await createProject(db, { name: `Race ${unique()}` });
      const base = { projectId: project.id, kind: 'status', sourceUri: 'doc://status', ...provenance };
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          supersedeProjectRecord(db, {
            ...base,
            title: `Status ${i}`,
            body: { i },
            idempotencyKey: `race-${unique()}`,
          }),
        ),
      );
      expect(results.map((result) => result.record.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      const all = await listProjectRecords(db, { projectId: project.id, includeSuperseded: true });
      expect(all.items.filter((record) => record.supersededBy === undefined)).toHaveLength(1);
    });
  });
});
