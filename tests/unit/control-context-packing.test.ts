import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../models/cost.ts';
import { currencyContext } from '../../extraction/amounts/currencies.ts';
import { findAmounts } from '../../extraction/amounts/find-amounts.ts';
import { findDateMentions } from '../../extraction/dates/find-dates.ts';
import { packContext, packingNotes, rank } from '../../nodes/generate/pack.ts';
import { assemblePrompt } from '../../nodes/generate/prompt.ts';
import type { Retrieval } from '../../nodes/sdk/ports.ts';

type Scored = Retrieval['records'][number];

function record(
  id: string,
  text: string,
  score: number,
  extra: {
    createdAt?: string;
    kind?: Scored['record']['kind'];
    uri?: string;
    version?: string;
    reviewer?: string;
  } = {},
): Scored {
  return {
    score,
    record: {
      id,
      text,
      kind: extra.kind ?? 'fact',
      clientId: 'client-harbor',
      source: { uri: extra.uri ?? `doc://harbor/${id}`, version: extra.version ?? '1' },
      confidence: 0.9,
      createdAt: extra.createdAt ?? '2025-05-01T10:00:00.000Z',
      provenance: { workflowId: 'run-1', nodeId: 'remember', ...(extra.reviewer ? { reviewer: extra.reviewer } : {}) },
      embeddingModel: 'use-lite-512',
    },
  };
}

const filler = (topic: string) =>
  `${topic} The team talked through the general direction at length and nobody raised anything unusual about it. ` +
  'There was a long discussion about colours, photography styles, tone of voice and the overall feeling of the brand. ' +
  'Several people shared links to websites they admire and we collected them in the shared folder for later reference.';

// Ten records, each with background prose around its facts: together far more than the budget.
const records: Scored[] = [
  record('r1', `${filler('Kickoff notes.')} The deposit of €2,400 was paid on 3 March 2025.`, 0.95),
  record('r2', `${filler('Scope call.')} Phase two is quoted at $6,500 and must be delivered by 30 June 2025.`, 0.9),
  record('r3', filler('Brand workshop recap.'), 0.88),
  record('r4', `${filler('Hosting chat.')} Hosting costs 45 EUR per month from 1 April 2025.`, 0.8),
  record('r5', filler('Photography notes.'), 0.77),
  record('r6', `${filler('Invoice follow-up.')} Invoice 2025-014 over £1,180.50 is due on 15 May 2025.`, 0.7),
  record('r7', filler('Moodboard review.'), 0.66),
  record('r8', `${filler('Retainer talk.')} We agreed a retainer of CHF 900 a month starting 2025-07-01.`, 0.6),
  record('r9', filler('Copywriting session.'), 0.55),
  record('r10', `${filler('Launch planning.')} The launch party is on Friday 12 September 2025.`, 0.5),
];

const reference = {
  day: { year: 2025, month: 5, day: 1 },
  instant: new Date('2025-05-01T10:00:00Z'),
  offsetMinutes: 0,
};
const amountsIn = (text: string) =>
  findAmounts(text, { inContent: () => true, context: currencyContext(text, undefined) }).map((a) => a.text.trim());
const datesIn = (text: string) => findDateMentions(text, 'en', reference, false).map((d) => d.text);

describe('context packing in the generate node', () => {
  it('keeps every amount and date of the records when the budget is smaller than the records', () => {
    const all = records.map((r) => r.record.text).join('\n');
    const budget = 400;
    expect(estimateTokens(all)).toBeGreaterThan(budget * 2);

    const packed = packContext(records, budget);

    const amounts = amountsIn(all);
    const dates = datesIn(all);
    expect(amounts).toEqual(['€2,400', '$6,500', '45 EUR', '£1,180.50', 'CHF 900']);
    expect(dates).toEqual([
      '3 March 2025',
      '30 June 2025',
      '1 April 2025',
      '15 May 2025',
      '2025-07-01',
      'Friday 12 September 2025',
    ]);
    for (const amount of amounts) expect(packed.text).toContain(amount);
    for (const date of dates) expect(packed.text).toContain(date);
    expect(packed.tokens).toBeLessThanOrEqual(budget);

    const byStatus = (status: string) => packed.records.filter((r) => r.status === status).map((r) => r.id);
    // The best two fit whole; the others with facts keep their critical sentences; filler ones
    // get their lead sentence while there is room, and the last ones are left out.
    expect(byStatus('included')).toEqual(['r1', 'r2']);
    expect(byStatus('summarised')).toEqual(['r3', 'r4', 'r5', 'r6', 'r8', 'r10']);
    expect(byStatus('left-out')).toEqual(['r7', 'r9']);
    expect(packed.text).toContain('(summary) Hosting costs 45 EUR per month from 1 April 2025.');
  });

  it('includes every record whole, in rank order, when they fit', () => {
    const packed = packContext(records.slice(0, 2), 2_000);
    expect(packed.records.map((r) => [r.id, r.status])).toEqual([
      ['r1', 'included'],
      ['r2', 'included'],
    ]);
    expect(packed.text).toMatch(/^\[1\] Kickoff notes\./);
    expect(packed.text).toContain('(fact from doc://harbor/r2@1, confidence 0.9)');
  });

  it('keeps the latest approved version whole and leaves the version it supersedes out', () => {
    const old = record('scope-v1', 'Scope: five pages, delivered by 1 June 2025 for €4,000.', 0.9, {
      uri: 'doc://harbor/scope',
      version: '1',
      createdAt: '2025-04-01T10:00:00.000Z',
    });
    const approved = record('scope-v2', 'Scope: seven pages, delivered by 20 June 2025 for €5,200.', 0.6, {
      uri: 'doc://harbor/scope',
      version: '2',
      kind: 'decision',
      reviewer: 'lena',
      createdAt: '2025-04-20T10:00:00.000Z',
    });
    const packed = packContext([old, approved, records[2]!], 60);
    const status = Object.fromEntries(packed.records.map((r) => [r.id, r]));
    expect(status['scope-v2']).toMatchObject({ status: 'included', reason: 'latest approved version, kept whole' });
    expect(status['scope-v1']).toMatchObject({ status: 'left-out', reason: 'superseded by scope-v2' });
    expect(packed.text).toContain('Scope: seven pages, delivered by 20 June 2025 for €5,200.');
    expect(packed.text).not.toContain('€4,000');
  });

  it('ranks by relevance and recency together', () => {
    const stale = record('stale', 'Old note.', 1, { createdAt: '2024-01-01T00:00:00.000Z' });
    const fresh = record('fresh', 'New note.', 0.8, { createdAt: '2025-05-01T00:00:00.000Z' });
    expect(rank([stale, fresh]).map((r) => r.record.id)).toEqual(['fresh', 'stale']);
    expect(
      rank([fresh, { ...stale, record: { ...stale.record, createdAt: fresh.record.createdAt } }]).map(
        (r) => r.record.id,
      ),
    ).toEqual(['stale', 'fresh']);
  });

  it('records in the notes which records were included, summarised or left out', () => {
    const prompt = assemblePrompt(
      {
        context: {
          query: 'harbor',
          fingerprint: 'f'.repeat(64),
          indexVersion: 'v1',
          ids: records.map((r) => r.record.id),
          records,
        },
      },
      {
        kind: 'status-update',
        template: 'Status for Harbor Coffee.',
        policy: { maxCostUsd: 0.01, maxLatencyMs: 1_000, minConfidence: 0.5 },
        contextTokens: 400,
      },
    );
    const notes = packingNotes(prompt.packing);
    expect(notes[0]).toMatch(/^context: \d+ of 400 tokens for 10 records$/);
    expect(
      notes.some((n) => n.startsWith('context summarised: ') && n.includes('r4 (its amounts, dates and commitments)')),
    ).toBe(true);
    expect(notes.some((n) => n.startsWith('context left out: ') && n.includes('(no room in the budget)'))).toBe(true);
    expect(prompt.user).toContain('£1,180.50');
    expect(prompt.records.length + prompt.omittedRecords).toBe(10);
  });
});
