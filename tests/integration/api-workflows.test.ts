import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scheduleId } from '../../server/lib/schedules.ts';
import { loadTemplates } from '../../server/lib/templates.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';

const echoGraph = (name: string, tag = 'one') =>
  graph(
    name,
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['echo', 'test.echo', { tag }],
    ],
    ['start.data -> echo.value'],
  );

describe('workflow routes', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let app: FastifyInstance;

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-workflows test', harness: { worker: false } });
    ({ h, app, call } = server);
  });
  afterAll(async () => {
    await server?.close();
  });

  let call: ApiApp['call'];

  it('lists the palette with schemas, built-ins and plugins', async () => {
    const response = await call('GET', '/api/node-types');
    expect(response.statusCode).toBe(200);
    const { nodeTypes } = response.json<{ nodeTypes: { type: string; config: object; origin: string }[] }>();
    const trigger = nodeTypes.find((n) => n.type === 'trigger');
    expect(trigger?.config).toMatchObject({ type: 'object' });
    expect(trigger?.origin).toBe('builtin');
    expect(nodeTypes.find((n) => n.type === 'test.echo')?.origin).toMatch(/^plugin /);
    expect(response.body).not.toContain('"run"');
  });

  it('creates, reads, updates, lists and archives a workflow', async () => {
    const created = await call('POST', '/api/workflows', { name: 'CRUD flow', graph: echoGraph('CRUD flow') });
    expect(created.statusCode).toBe(201);
    const { workflow } = created.json<{ workflow: { id: string; name: string; versions: unknown[] } }>();
    expect(workflow).toMatchObject({ name: 'CRUD flow', versions: [] });

    const updated = await call('PUT', `/api/workflows/${workflow.id}`, { description: 'now described' });
    expect(updated.json<{ workflow: { description: string } }>().workflow.description).toBe('now described');

    const read = await call('GET', `/api/workflows/${workflow.id}`);
    expect(read.json<{ workflow: { graph: { nodes: unknown[] } } }>().workflow.graph.nodes).toHaveLength(2);

    const list = await call('GET', '/api/workflows');
    expect(list.json<{ workflows: { id: string }[] }>().workflows.map((w) => w.id)).toContain(workflow.id);

    expect((await call('DELETE', `/api/workflows/${workflow.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/workflows/${workflow.id}`)).statusCode).toBe(404);
    const archived = await call('GET', '/api/workflows?includeArchived=true');
    expect(archived.json<{ workflows: { id: string; archived: boolean }[] }>().workflows).toContainEqual(
      expect.objectContaining({ id: workflow.id, archived: true }),
    );
  });

  it('validates a graph and names the node and the problem', async () => {
    const bad = graph(
      'bad',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['x', 'no-such-node'],
      ],
      ['start.data -> x.value'],
    );
    const response = await call('POST', '/api/workflows/validate', { graph: bad });
    expect(response.statusCode).toBe(200);
    const result = response.json<{ ok: boolean; errors: { code: string; nodeId?: string }[] }>();
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ code: 'unknown-node-type', nodeId: 'x' }));
    const good = await call('POST', '/api/workflows/validate', { graph: echoGraph('good') });
    expect(good.json<{ ok: boolean }>().ok).toBe(true);
  });

  it('publishes a version, reuses it for an unchanged plan, and adds one for a change', async () => {
    const { workflow } = (
      await call('POST', '/api/workflows', { name: 'Versions', graph: echoGraph('Versions') })
    ).json<{
      workflow: { id: string };
    }>();
    const first = await call('POST', `/api/workflows/${workflow.id}/publish`, { publishedBy: 'ana' });
    expect(first.statusCode).toBe(201);
    const v1 = first.json<{ version: number; planHash: string; created: boolean }>();
    expect(v1).toMatchObject({ version: 1, created: true });
    expect(v1.planHash).toMatch(/^[0-9a-f]{64}$/);

    const again = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: 1, planHash: v1.planHash, created: false });

    await call('PUT', `/api/workflows/${workflow.id}`, { graph: echoGraph('Versions', 'two') });
    const second = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    expect(second.json()).toMatchObject({ version: 2, created: true });

    // Going back to the first graph is a new latest version with the first plan.
    await call('PUT', `/api/workflows/${workflow.id}`, { graph: echoGraph('Versions', 'one') });
    const back = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    expect(back.json()).toMatchObject({ version: 3, planHash: v1.planHash, created: true });

    const versions = (await call('GET', `/api/workflows/${workflow.id}/versions`)).json<{
      versions: { version: number; publishedBy: string }[];
    }>().versions;
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[0]?.publishedBy).toBe('ana');
    const one = (await call('GET', `/api/workflows/${workflow.id}/versions/1`)).json<{ plan: { hash: string } }>();
    expect(one.plan.hash).toBe(v1.planHash);
    const rows = await h.db.query('select count(*)::int as n from workflow_versions where workflow_id = $1', [
      workflow.id,
    ]);
    expect(rows.rows[0]).toEqual({ n: 3 });
  });

  it('refuses to publish a graph that does not compile, with 422 and the graph errors', async () => {
    const broken = graph(
      'broken',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['echo', 'test.echo'],
      ],
      [],
    );
    const { workflow } = (await call('POST', '/api/workflows', { name: 'Broken', graph: broken })).json<{
      workflow: { id: string };
    }>();
    const response = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    expect(response.statusCode).toBe(422);
    const body = response.json<{ errors: { code: string; nodeId?: string }[] }>();
    expect(body.errors).toContainEqual(expect.objectContaining({ code: 'missing-input', nodeId: 'echo' }));
    expect((await call('GET', `/api/workflows/${workflow.id}/versions`)).json()).toEqual({ versions: [] });
  });

  it('exports a workflow and imports the document as a new one', async () => {
    const { workflow } = (
      await call('POST', '/api/workflows', {
        name: 'Exported',
        description: 'round trip',
        graph: echoGraph('Exported'),
      })
    ).json<{ workflow: { id: string; graph: unknown } }>();
    const exported = await call('GET', `/api/workflows/${workflow.id}/export`);
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="Exported.trellis.json"/);
    const document = exported.json<{ format: string; formatVersion: number; graph: unknown }>();
    expect(document).toMatchObject({ format: 'trellis-workflow', formatVersion: 1, name: 'Exported' });
    const imported = await call('POST', '/api/workflows/import', document);
    expect(imported.statusCode).toBe(201);
    const copy = imported.json<{ workflow: { id: string; graph: unknown; description: string } }>().workflow;
    expect(copy.id).not.toBe(workflow.id);
    expect(copy.graph).toEqual(workflow.graph);
    expect(copy.description).toBe('round trip');
  });

  it('keeps a Temporal Schedule in step with a schedule trigger, and deletes it with the workflow', async () => {
    const scheduled = (cron: string) =>
      graph(
        'Nightly',
        [
          ['start', 'trigger', { kind: 'schedule', schedule: cron, data: { report: 'nightly' } }],
          ['echo', 'test.echo'],
        ],
        ['start.data -> echo.value'],
      );
    const { workflow } = (
      await call('POST', '/api/workflows', { name: 'Nightly', graph: scheduled('0 3 * * *') })
    ).json<{
      workflow: { id: string };
    }>();
    expect((await call('POST', `/api/workflows/${workflow.id}/publish`, {})).statusCode).toBe(201);
    const handle = h.client.schedule.getHandle(scheduleId(workflow.id));
    const described = await handle.describe();
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'interpreter',
      taskQueue: h.taskQueue,
    });

    await call('PUT', `/api/workflows/${workflow.id}`, { graph: scheduled('30 8 * * 1') });
    expect((await call('POST', `/api/workflows/${workflow.id}/publish`, {})).json()).toMatchObject({ version: 2 });
    const updated = await handle.describe();
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 8, end: 8, step: 1 }] });

    expect((await call('DELETE', `/api/workflows/${workflow.id}`)).statusCode).toBe(204);
    await expect(handle.describe()).rejects.toThrow();
  });

  it('refuses a schedule Temporal cannot read with 422 on the trigger, and keeps no version', async () => {
    const bad = graph(
      'Bad cron',
      [
        ['start', 'trigger', { kind: 'schedule', schedule: 'every blue moon' }],
        ['echo', 'test.echo'],
      ],
      ['start.data -> echo.value'],
    );
    const { workflow } = (await call('POST', '/api/workflows', { name: 'Bad cron', graph: bad })).json<{
      workflow: { id: string };
    }>();
    const response = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
    expect(response.statusCode).toBe(422);
    expect(response.json<{ errors: unknown[] }>().errors).toContainEqual(
      expect.objectContaining({ code: 'invalid-config', nodeId: 'start', pointer: '/schedule' }),
    );
    expect((await call('GET', `/api/workflows/${workflow.id}/versions`)).json()).toEqual({ versions: [] });
  });

  it('serves an OpenAPI 3.1 document that validates, without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/workflows/', '/api/runs/{runId}/ledger', '/api/ingest/{source}']),
    );
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toBeTruthy();
  });

  it('creates a workflow from a template', async (context) => {
    const templates = await loadTemplates();
    if (!templates) {
      context.skip('workflows/templates/index.ts is not there yet (the template gallery is built separately)');
      return;
    }
    // One that needs no answers (the first in the gallery now needs a mail account).
    const template = templates
      .listTemplates()
      .find((t) => !((t.parameters.required as string[] | undefined)?.length ?? 0) && !t.needs);
    if (!template) return context.skip('the template gallery has no template without required parameters');
    const list = await call('GET', '/api/templates');
    expect(list.json<{ templates: { id: string }[] }>().templates.map((t) => t.id)).toContain(template.id);
    const response = await call('POST', `/api/templates/${template.id}/use`, { name: 'From a template' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ workflow: { name: 'From a template', templateId: template.id } });
  });
});
