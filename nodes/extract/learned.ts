// Finds the person's past corrections that apply to this message: same client, nearest in
// memory (hybrid search over `correction` records), and similar enough by embedding.
import { trustedLinks } from '../../security/client-link.ts';
import type { NodeServices } from '../sdk/context.ts';
import type { EventValue } from '../sdk/ports.ts';
import { messageText, parseCorrection, type LearnedCorrection } from './corrections.ts';

/**
 * Corrections carry over to messages that are nearly the same kind of message: with USE-lite,
 * two weekly order sheets of a client score 0.99, while a payment notice from the same client
 * about an order scored 0.74 against them and must not inherit the order sheet's correction.
 */
export const DEFAULT_MIN_SIMILARITY = 0.8;
const NEAREST = 5;

export interface Learned {
  corrections: LearnedCorrection[];
  notes: string[];
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Never fails the extraction: without memory, the notes say so and nothing is applied. */
export async function findCorrections(
  services: Pick<NodeServices, 'memory' | 'embedder'>,
  event: EventValue,
  { minSimilarity = DEFAULT_MIN_SIMILARITY }: { minSimilarity?: number } = {},
): Promise<Learned> {
  if (!event.clientId) return { corrections: [], notes: [] };
  // Another client's corrections must not steer the reading of a mail whose sender is unproven.
  const { withheld } = trustedLinks(event);
  if (withheld) return { corrections: [], notes: [withheld] };
  try {
    const query = messageText(event);
    const found = await services.memory.search(query, {
      filters: { clientId: event.clientId, kinds: ['correction'] },
      k: NEAREST,
    });
    const parsed = found.hits
      .map(({ record }) => ({ record, parsed: parseCorrection(record.text) }))
      .filter((hit) => hit.parsed !== undefined);
    if (parsed.length === 0) return { corrections: [], notes: [] };
    const [own, ...theirs] = await services.embedder.embed([query, ...parsed.map((hit) => hit.parsed!.message)]);
    const corrections = parsed
      .map((hit, index) => ({
        id: hit.record.id,
        similarity: Math.round(cosine(own!, theirs[index]!) * 100) / 100,
        rules: hit.parsed!.rules,
        ...(hit.record.provenance.reviewer ? { reviewer: hit.record.provenance.reviewer } : {}),
      }))
      .filter((correction) => correction.similarity >= minSimilarity)
      .sort((a, b) => b.similarity - a.similarity || a.id.localeCompare(b.id));
    const skipped = parsed.length - corrections.length;
    const notes =
      corrections.length > 0 || skipped > 0
        ? [
            `corrections: ${corrections.length} of client ${event.clientId} apply${skipped > 0 ? `, ${skipped} less similar than ${minSimilarity} left out` : ''}`,
          ]
        : [];
    return { corrections, notes };
  } catch (error) {
    return { corrections: [], notes: [`corrections: not consulted (${(error as Error).message})`] };
  }
}
