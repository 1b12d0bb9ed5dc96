import { isHumanEdit } from './records.ts';
import type { ScoredRecord } from './types.ts';

/**
 * A human's edit or correction outranks the model's own output for the same source: its score is
 * multiplied by this, and lifted at least to the best model-written hit of that source (it then
 * wins the tie). Across different sources it is only the multiplier, so a strongly relevant record
 * of another source still comes first.
 */
export const HUMAN_EDIT_BOOST = 1.25;

/** Ids in code-unit order, the same order as PostgreSQL's `collate "C"`, independent of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Min-max normalises one leg's scores into [0, 1]; a single score (or all equal) becomes 1. */
function normalised(scores: Map<string, number>): Map<string, number> {
  const values = [...scores.values()];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const spread = max - min;
  return new Map([...scores].map(([id, score]) => [id, spread > 0 ? (score - min) / spread : 1]));
}

/**
 * Weaviate's `relativeScoreFusion`: each leg normalised to [0, 1] over its own candidates, then
 * alpha * vector + (1 - alpha) * keyword; a record missing from a leg gets 0 from it.
 */
export function relativeScoreFusion(
  vector: Map<string, number>,
  keyword: Map<string, number>,
  alpha: number,
): Map<string, number> {
  const fused = new Map<string, number>();
  const add = (scores: Map<string, number>, weight: number) => {
    if (weight === 0 || scores.size === 0) return;
    for (const [id, score] of normalised(scores)) fused.set(id, (fused.get(id) ?? 0) + weight * score);
  };
  add(vector, alpha);
  add(keyword, 1 - alpha);
  return fused;
}

/** Applies the human-edit precedence, orders by (score desc, human edit first, id asc), keeps k. */
export function rankHits(candidates: ScoredRecord[], k: number): ScoredRecord[] {
  const bestModelScore = new Map<string, number>();
  for (const { record, score } of candidates) {
    if (isHumanEdit(record)) continue;
    const uri = record.source.uri;
    bestModelScore.set(uri, Math.max(bestModelScore.get(uri) ?? -Infinity, score));
  }
  const adjusted = candidates.map(({ record, score }) => {
    if (!isHumanEdit(record)) return { record, score, human: false };
    const lifted = Math.max(score * HUMAN_EDIT_BOOST, bestModelScore.get(record.source.uri) ?? -Infinity);
    return { record, score: lifted, human: true };
  });
  adjusted.sort(
    (a, b) => b.score - a.score || Number(b.human) - Number(a.human) || compareIds(a.record.id, b.record.id),
  );
  return adjusted.slice(0, k).map(({ record, score }) => ({ record, score }));
}
