import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { graph } from '../support/graph-builder.ts';
import { realServices, startHarness, type Harness } from '../support/interpreter-harness.ts';

describe('remember and retrieve nodes in a run', () => {
  let h: Harness;
  let services: NodeServices & { close(): Promise<void> };
  beforeAll(async () => {
    h = await startHarness(inject('services'), {
      nodeServices: async (db) => (services = await realServices(inject('services'), db)),
    });
  });
  afterAll(async () => {
    await h.close();
    await services.close();
  });

  it('remembers a document in chunks with provenance, supersedes its old version, and retrieves it with a fingerprint', async () => {
    const remember = () =>
      graph(
        'kb',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['shape', 'transform', { expression: 'text' }],
          ['store', 'remember', { kind: 'document', split: 'paragraphs', maxChars: 300, sourceUri: 'doc://handbook' }],
        ],
        ['start.data -> shape.value', 'shape.value -> store.content'],
      );
    const v1 = 'Our rate is 95 EUR per hour.\n\nInvoices are due within 30 days.';
    const first = await (await h.start(h.compile(remember()), { data: { text: v1 } })).handle.result();
    expect(first.outputs.store).toMatchObject({ sourceUri: 'doc://handbook', version: '1', superseded: 0 });
    expect((first.outputs.store?.ids as string[]).length).toBe(1);

    const search = graph(
      'ask',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['q', 'transform', { expression: 'q' }],
        ['find', 'retrieve', { scope: 'all', k: 3 }],
      ],
      ['start.data -> q.value', 'q.value -> find.query'],
    );
    const found = (await h.start(h.compile(search), { data: { q: 'hourly rate' } })).handle;
    const result = await found.result();
    const context = result.outputs.find?.context as {
      fingerprint: string;
      ids: string[];
      records: { record: { text: string; provenance: { workflowId: string } } }[];
    };
    expect(context.records[0]?.record.text).toContain('95 EUR per hour');
    expect(context.records[0]?.record.provenance.workflowId).toMatch(/^run:/);
    expect(context.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const ledger = await fetchLedger(h.client, found.workflowId);
    expect(ledger.entries.find((e) => e.nodeId === 'find')?.output).toEqual(result.outputs.find);

    // The same question over the unchanged index gives the same fingerprint and ids.
    const again = await (await h.start(h.compile(search), { data: { q: 'hourly rate' } })).handle.result();
    const againContext = again.outputs.find?.context as { fingerprint: string; ids: string[] };
    expect(againContext.fingerprint).toBe(context.fingerprint);
    expect(againContext.ids).toEqual(context.ids);

    await services.memory.supersede('doc://handbook', '2');
    const after = await services.memory.search('hourly rate', { k: 3 });
    expect(after.hits.some((hit) => hit.record.text.includes('95 EUR'))).toBe(false);
  });
});
