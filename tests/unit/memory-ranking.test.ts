import { describe, expect, it } from 'vitest';
import { compareIds, HUMAN_EDIT_BOOST, rankHits, relativeScoreFusion } from '../../memory/ranking.ts';
import { expiryCutoffs } from '../../memory/retention.ts';
import type { MemoryRecord } from '../../schemas/memory-record.ts';

function record(id: string, uri: string, human = false): MemoryRecord {
  return {
    id,
    text: id,
    kind: 'note',
    source: { uri, version: '1' },
    confidence: 0.9,
    createdAt: '2024-01-01T00:00:00.000Z',
    provenance: human
      ? { workflowId: 'r', nodeId: 'review', reviewer: 'owner' }
      : { workflowId: 'r', nodeId: 'remember' },
    embeddingModel: 'm',
  };
}

describe('relativeScoreFusion', () => {
  it('normalises each leg to [0, 1] and weights vector by alpha, keyword by 1 - alpha', () => {
    const vector = new Map([
      ['a', 0.9],
      ['b', 0.5],
      ['c', 0.7],
    ]);
    const keyword = new Map([
      ['b', 12],
      ['d', 4],
    ]);
    const fused = relativeScoreFusion(vector, keyword, 0.25);
    expect(fused.get('a')).toBeCloseTo(0.25);
    expect(fused.get('b')).toBeCloseTo(0.75);
    expect(fused.get('c')).toBeCloseTo(0.125);
    expect(fused.get('d')).toBeCloseTo(0);
  });

  it('gives a lone or all-equal leg full marks, and ignores a leg with weight 0', () => {
    expect(relativeScoreFusion(new Map([['a', 0.3]]), new Map(), 1).get('a')).toBe(1);
    const keywordOnly = relativeScoreFusion(new Map([['v', 1]]), new Map([['k', 2]]), 0);
    expect([...keywordOnly.keys()]).toEqual(['k']);
  });
});

describe('rankHits', () => {
  it('orders by score, then by id in code-unit order', () => {
    const hits = ['b', 'B', 'a', 'c'].map((id) => ({ record: record(id, `u-${id}`), score: id === 'c' ? 0.9 : 0.5 }));
    expect(rankHits(hits, 4).map((hit) => hit.record.id)).toEqual(['c', 'B', 'a', 'b']);
    expect(rankHits(hits, 2)).toHaveLength(2);
    expect(compareIds('Z', 'a')).toBeLessThan(0);
  });

  it('lifts a human edit above the best model hit of the same source', () => {
    const ranked = rankHits(
      [
        { record: record('model', 'mailto:1'), score: 0.9 },
        { record: record('human', 'mailto:1', true), score: 0.3 },
      ],
      2,
    );
    expect(ranked.map((hit) => hit.record.id)).toEqual(['human', 'model']);
    expect(ranked[0]!.score).toBe(0.9);
  });

  it('treats a correction as a human edit even without a reviewer', () => {
    const correction = { ...record('fix', 'doc://1'), kind: 'correction' as const };
    const ranked = rankHits(
      [
        { record: record('orig', 'doc://1'), score: 0.8 },
        { record: correction, score: 0.1 },
      ],
      2,
    );
    expect(ranked[0]!.record.id).toBe('fix');
  });

  it('only multiplies a human edit across sources, so a much better match of another source stays first', () => {
    const ranked = rankHits(
      [
        { record: record('other-source', 'mailto:2'), score: 0.9 },
        { record: record('human', 'mailto:1', true), score: 0.5 },
      ],
      2,
    );
    expect(ranked.map((hit) => hit.record.id)).toEqual(['other-source', 'human']);
    expect(ranked[1]!.score).toBeCloseTo(0.5 * HUMAN_EDIT_BOOST);
  });
});

describe('expiryCutoffs', () => {
  it('gives a cutoff for each kind with a TTL and none for keep-forever or unlisted kinds', () => {
    const cutoffs = expiryCutoffs(
      { message: { ttlDays: 30 }, draft: { ttlDays: 0.5 }, decision: { keepForever: true } },
      '2025-03-31T00:00:00Z',
    );
    expect(cutoffs).toEqual([
      { kind: 'message', createdBefore: '2025-03-01T00:00:00.000Z' },
      { kind: 'draft', createdBefore: '2025-03-30T12:00:00.000Z' },
    ]);
  });

  it('rejects a negative TTL', () => {
    expect(() => expiryCutoffs({ note: { ttlDays: -1 } })).toThrow(/ttlDays/);
  });
});
