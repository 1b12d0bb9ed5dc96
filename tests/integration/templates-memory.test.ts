import { describe, expect, it } from 'vitest';
import { expectFinalLedger } from '../fixtures/templates/ledger.ts';
import {
  contentRepurposing,
  knowledgeBase,
  memoryMaintenance,
  postsEdited,
  REVIEWER,
} from '../fixtures/templates/scenarios.ts';
import { templateWorld } from '../support/template-world.ts';

describe('memory templates, run end to end offline', () => {
  const world = templateWorld();

  it('knowledge base: remembers passages with source@version, and a new version supersedes the old', async () => {
    const { first, second, uri, between } = await knowledgeBase(world);
    await expectFinalLedger(world.h, first.handle.workflowId, first.plan);
    await expectFinalLedger(world.h, second.handle.workflowId, second.plan);
    const v1 = first.result.outputs.store as { ids: string[]; version: string; superseded: number };
    const v2 = second.result.outputs.store as { ids: string[]; version: string; superseded: number };
    expect(v1).toMatchObject({ version: '1', superseded: 0 });
    expect(v1.ids.length).toBeGreaterThanOrEqual(2);
    expect(v2).toMatchObject({ version: '2', superseded: v1.ids.length });
    const passage = await world.services.memory.get(v2.ids[0]!);
    expect(passage).toMatchObject({
      kind: 'document',
      source: { uri, version: '2' },
      provenance: { workflowId: second.handle.workflowId, nodeId: 'store' },
    });

    const now = await world.services.memory.search('standard hourly rate', { filters: { sourceUri: uri }, k: 5 });
    const texts = now.hits.map((hit) => hit.record.text).join('\n');
    expect(texts).toContain('110 EUR per hour');
    expect(texts).not.toContain('95 EUR per hour');
    const then = await world.services.memory.search('standard hourly rate', {
      filters: { sourceUri: uri, asOf: between },
      k: 5,
    });
    expect(then.hits.map((hit) => hit.record.text).join('\n')).toContain('95 EUR per hour');
  });

  it('content repurposing: the edited posts are remembered as a correction by their reviewer', async () => {
    const { run } = await contentRepurposing(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    const draftTask = run.tasks.find((task) => task.nodeId === 'posts');
    expect(JSON.stringify(draftTask?.context.prompt)).toContain('Bookings went up 18%');
    const { ids } = run.result.outputs.remember as { ids: string[] };
    const record = await world.services.memory.get(ids[0]!);
    expect(record).toMatchObject({ kind: 'correction', confidence: 1, provenance: { reviewer: REVIEWER } });
    expect(record?.text).toBe(postsEdited);
  });

  it('memory maintenance: prunes by retention and re-embeds records of a replaced model', async () => {
    const { run, expired, kept, stale } = await memoryMaintenance(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    expect(run.result.outputs.maintain).toEqual({
      pruned: 1,
      reembedded: stale.length,
      remainingStale: false,
      embeddingModel: world.services.embedder.model,
    });
    expect(await world.services.memory.get(expired.id)).toBeUndefined();
    expect(await world.services.memory.get(kept.id)).toMatchObject({ kind: 'decision' });
    for (const id of stale) {
      expect((await world.services.memory.get(id))?.embeddingModel).toBe(world.services.embedder.model);
    }
    expect(await world.services.memory.staleEmbeddings(10)).toEqual([]);
  });
});
