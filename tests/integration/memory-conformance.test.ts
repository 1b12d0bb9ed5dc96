import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmbedder, deterministicRecordId, PgvectorMemoryStore, WeaviateMemoryStore } from '../../memory/index.ts';
import type { Embedder, MemoryStore, NewMemoryRecord } from '../../memory/types.ts';
import { ndcgAt, mean, reciprocalRank } from '../fixtures/memory/metrics.ts';
import { labelledQueries, relevanceCorpus } from '../fixtures/memory/relevance-set.ts';

type DroppableStore = MemoryStore & { drop(): Promise<void> };

const services = inject('services');
// The real offline model; one cache for the file, so the corpus is embedded once for both backends.
const embedder = createEmbedder({ tier: 'local' });
const suffix = `${process.pid}_${Date.now()}`;

interface StoreSettings {
  name: string;
  embedder: Embedder;
  now?: () => Date;
}

const backends: { backend: string; open: (settings: StoreSettings) => DroppableStore }[] = [
  {
    backend: 'weaviate',
    open: ({ name, embedder, now }) =>
      new WeaviateMemoryStore({
        connection: services.weaviate,
        collection: `Conformance_${name}_${suffix}`,
        embedder,
        now,
      }),
  },
  {
    backend: 'pgvector',
    open: ({ name, embedder, now }) =>
      new PgvectorMemoryStore({
        url: services.pglite.url,
        embedded: true,
        table: `conformance_${name}_${suffix}`.toLowerCase(),
        embedder,
        now,
      }),
  },
];

/** A record with sensible defaults for the lifecycle tests. */
function note(text: string, extra: Partial<NewMemoryRecord> = {}): NewMemoryRecord {
  return {
    text,
    kind: 'note',
    projectId: 'proj-1',
    clientId: 'client-1',
    source: { uri: `test://${text.slice(0, 20)}`, version: '1' },
    confidence: 0.8,
    provenance: { workflowId: 'run-1', nodeId: 'remember' },
    ...extra,
  };
}

const corpusById = new Map(relevanceCorpus.map((record) => [record.id!, record]));
const sortedIds = (ids: string[]) => [...ids].sort();

describe.each(backends)('MemoryStore on $backend', ({ backend, open }) => {
  describe('over the labelled corpus', () => {
    const store = open({ name: 'corpus', embedder });

    beforeAll(async () => {
      await store.init();
      await store.upsert(relevanceCorpus);
    });

    afterAll(async () => {
      await store.drop();
      await store.close();
    });

    it('reads a record back by id exactly as stored', async () => {
      const record = await store.get('acme-correction');
      expect(record).toEqual({
        ...corpusById.get('acme-correction'),
        createdAt: '2024-04-22T09:15:00.000Z',
        embeddingModel: embedder.model,
      });
      expect(await store.get('no-such-record')).toBeUndefined();
    });

    it('returns only the records that pass project, client, kind, source and time filters', async () => {
      const invoices = await store.search('invoice', { k: 10, filters: { clientId: 'acme', kinds: ['fact'] } });
      expect(sortedIds(invoices.ids)).toEqual(['acme-invoice-1', 'acme-invoice-2']);

      const bloom = await store.search('what did the customer ask for', {
        k: 20,
        filters: { projectId: 'bloom-shop' },
      });
      const bloomIds = relevanceCorpus.filter((record) => record.projectId === 'bloom-shop').map((r) => r.id!);
      expect(sortedIds(bloom.ids)).toEqual(sortedIds(bloomIds));

      const june = await store.search('news', {
        k: 50,
        filters: { createdAfter: '2024-06-01T08:00:00Z', createdBefore: '2024-07-01T13:30:00Z' },
      });
      const juneIds = relevanceCorpus
        .filter((record) => record.createdAt! >= '2024-06-01T08:00:00Z' && record.createdAt! < '2024-07-01T13:30:00Z')
        .map((record) => record.id!);
      expect(juneIds).toContain('bloom-invoice'); // the lower bound is inclusive
      expect(sortedIds(june.ids)).toEqual(sortedIds(juneIds));

      const bySource = await store.search('quote form', { k: 10, filters: { sourceUri: 'doc://acme/scope' } });
      expect(sortedIds(bySource.ids)).toEqual(['acme-correction', 'acme-scope']);
    });

    it('ranks the human correction above the model output of the same source', async () => {
      const result = await store.search('CRM used by the Acme quote form', { k: 5 });
      expect(result.ids.indexOf('acme-correction')).toBeLessThan(result.ids.indexOf('acme-scope'));
      expect(result.ids[0]).toBe('acme-correction');
    });

    it('returns the same ids in the same order for 100 repeated queries', async () => {
      const probes = [
        { query: 'which invoices are still unpaid or overdue', options: { k: 8 } },
        { query: 'Stripe webhook timeout', options: { k: 5, alpha: 0 } },
        { query: 'who is unhappy with our work', options: { k: 10, alpha: 1 } },
        {
          query: 'launch date',
          options: {
            k: 6,
            alpha: 0.3,
            filters: { clientId: 'acme', kinds: ['decision' as const, 'message' as const] },
          },
        },
      ];
      for (const { query, options } of probes) {
        const first = await store.search(query, options);
        expect(first.ids.length).toBeGreaterThan(0);
        for (let run = 0; run < 100; run += 1) {
          const again = await store.search(query, options);
          expect(again.ids).toEqual(first.ids);
          expect(again.fingerprint).toBe(first.fingerprint);
        }
      }
      // The fingerprint is over the normalised query: spacing and case do not change it or the result.
      const messy = await store.search('  STRIPE   webhook\ttimeout ', { k: 5, alpha: 0 });
      const clean = await store.search('stripe webhook timeout', { k: 5, alpha: 0 });
      expect(messy.fingerprint).toBe(clean.fingerprint);
      expect(messy.ids).toEqual(clean.ids);
    });

    it('finds the relevant records better with hybrid search than with keyword or vector alone', async () => {
      const modes = [
        { mode: 'keyword only (alpha 0)', alpha: 0 },
        { mode: 'vector only (alpha 1)', alpha: 1 },
        { mode: 'hybrid (alpha 0.5)', alpha: 0.5 },
      ];
      const scores: Record<string, { ndcg: number; mrr: number }> = {};
      for (const { mode, alpha } of modes) {
        const ndcg: number[] = [];
        const rr: number[] = [];
        for (const { query, relevant } of labelledQueries) {
          const { ids } = await store.search(query, { k: 5, alpha });
          ndcg.push(ndcgAt(5, ids, relevant));
          rr.push(reciprocalRank(ids, relevant));
        }
        scores[mode] = { ndcg: mean(ndcg), mrr: mean(rr) };
      }
      console.log(
        `\n${backend}: ${labelledQueries.length} labelled queries over ${relevanceCorpus.length} records, k = 5`,
      );
      console.table(
        Object.fromEntries(
          Object.entries(scores).map(([mode, { ndcg, mrr }]) => [
            mode,
            { 'nDCG@5': ndcg.toFixed(3), MRR: mrr.toFixed(3) },
          ]),
        ),
      );
      const hybrid = scores['hybrid (alpha 0.5)']!;
      expect(hybrid.ndcg).toBeGreaterThan(scores['keyword only (alpha 0)']!.ndcg);
      expect(hybrid.ndcg).toBeGreaterThan(scores['vector only (alpha 1)']!.ndcg);
    });
  });

  describe('through its lifecycle', () => {
    let clock = new Date('2025-03-01T12:00:00Z');
    const store = open({ name: 'lifecycle', embedder, now: () => clock });

    beforeAll(() => store.init());

    afterAll(async () => {
      await store.drop();
      await store.close();
    });

    it('creates its collection or tables idempotently, keeping what they hold', async () => {
      const [kept] = await store.upsert([note('Invoices go out on the first working day.')]);
      const version = await store.indexVersion();
      await store.init();
      await store.init();
      expect(await store.get(kept!.id)).toEqual(kept);
      expect(await store.indexVersion()).toBe(version);
      await store.delete([kept!.id]);
    });

    it('upserts with deterministic ids and replaces a record written twice', async () => {
      const input = note('Weekly sync moved to Tuesdays at 10:00.');
      const [first] = await store.upsert([input]);
      expect(first!.id).toBe(deterministicRecordId(input));
      expect(first!.createdAt).toBe(clock.toISOString());
      const [again] = await store.upsert([{ ...input, id: first!.id, confidence: 0.95 }]);
      expect(again!.id).toBe(first!.id);
      expect((await store.get(first!.id))?.confidence).toBe(0.95);
      const { ids } = await store.search('weekly sync', { k: 10, filters: { sourceUri: input.source.uri } });
      expect(ids).toEqual([first!.id]);
    });

    it('changes the index version on every write, and not on reads or no-op writes', async () => {
      const before = await store.indexVersion();
      await store.search('anything at all', { k: 3 });
      expect(await store.indexVersion()).toBe(before);
      expect(await store.delete(['not-there'])).toBe(0);
      expect(await store.indexVersion()).toBe(before);
      const [record] = await store.upsert([note('Index version probe record.')]);
      const afterUpsert = await store.indexVersion();
      expect(afterUpsert).not.toBe(before);
      const search = await store.search('index version probe', { k: 1 });
      expect(search.indexVersion).toBe(afterUpsert);
      await store.delete([record!.id]);
      expect(await store.indexVersion()).not.toBe(afterUpsert);
    });

    it('breaks score ties by id', async () => {
      const text = 'Identical reminder: send the monthly report to the accountant.';
      const ids = ['tie-c', 'tie-a', 'tie-e', 'tie-b', 'tie-d'];
      await store.upsert(
        ids.map((id) => note(text, { id, projectId: 'ties', source: { uri: `test://tie/${id}`, version: '1' } })),
      );
      for (const alpha of [0, 0.5, 1]) {
        const result = await store.search(text, { k: 5, alpha, filters: { projectId: 'ties' } });
        expect(result.ids).toEqual(['tie-a', 'tie-b', 'tie-c', 'tie-d', 'tie-e']);
      }
    });

    it('ranks a human correction above the model output of the same source even when it matches less', async () => {
      const source = { uri: 'mailto:thread-42', version: '1' };
      const [model] = await store.upsert([
        note('Client Dana wants the HubSpot CRM integration for the quote form.', { projectId: 'crm', source }),
      ]);
      const [human] = await store.upsert([
        note('Correction: the form goes to Pipedrive now.', {
          projectId: 'crm',
          kind: 'correction',
          source,
          provenance: { workflowId: 'run-2', nodeId: 'human-review', reviewer: 'owner@studio.example' },
        }),
      ]);
      const result = await store.search('HubSpot CRM integration for the quote form', {
        k: 2,
        filters: { projectId: 'crm' },
      });
      expect(result.ids).toEqual([human!.id, model!.id]);
      expect(result.hits[0]!.record.provenance.reviewer).toBe('owner@studio.example');
    });

    it('supersedes old versions of a source: gone from current search, still there as of a past time', async () => {
      const uri = 'doc://proposal-kestrel';
      const v1 = await store.upsert([
        note('Proposal v1: booking app for iOS only, €12,000.', {
          source: { uri, version: '1' },
          createdAt: '2025-01-10T09:00:00Z',
        }),
        note('Proposal v1: delivery in 10 weeks.', {
          source: { uri, version: '1' },
          createdAt: '2025-01-10T09:00:00Z',
        }),
      ]);
      const [v2] = await store.upsert([
        note('Proposal v2: booking app for iOS and Android, €15,500.', {
          source: { uri, version: '2' },
          createdAt: '2025-02-01T09:00:00Z',
        }),
      ]);
      expect(await store.supersede(uri, '2', '2025-02-01T09:00:00Z')).toBe(2);
      expect(await store.supersede(uri, '2', '2025-02-02T09:00:00Z')).toBe(0);
      expect((await store.get(v1[0]!.id))?.validTo).toBe('2025-02-01T09:00:00.000Z');
      expect((await store.get(v2!.id))?.validTo).toBeUndefined();

      const filters = { sourceUri: uri };
      const current = await store.search('proposal booking app price', { k: 10, filters });
      expect(current.ids).toEqual([v2!.id]);
      const january = await store.search('proposal booking app price', {
        k: 10,
        filters: { ...filters, asOf: '2025-01-20T00:00:00Z' },
      });
      expect(sortedIds(january.ids)).toEqual(sortedIds(v1.map((record) => record.id)));
      const atSwitch = await store.search('proposal booking app price', {
        k: 10,
        filters: { ...filters, asOf: '2025-02-01T09:00:00Z' },
      });
      expect(atSwitch.ids).toEqual([v2!.id]);
      const beforeAnything = await store.search('proposal', {
        k: 10,
        filters: { ...filters, asOf: '2025-01-01T00:00:00Z' },
      });
      expect(beforeAnything.ids).toEqual([]);
    });

    it('excludes a record from current search once its validTo has passed', async () => {
      const [record] = await store.upsert([
        note('Temporary discount of 10% for Bloom until March 5.', {
          projectId: 'expiring',
          validTo: '2025-03-05T00:00:00Z',
        }),
      ]);
      const filters = { projectId: 'expiring' };
      expect((await store.search('discount', { k: 5, filters })).ids).toEqual([record!.id]);
      clock = new Date('2025-03-06T00:00:00Z');
      expect((await store.search('discount', { k: 5, filters })).ids).toEqual([]);
      clock = new Date('2025-03-01T12:00:00Z');
    });

    it('deletes records by id and counts only those that existed', async () => {
      const records = await store.upsert([
        note('Delete me: old phone number 0151 000000.', { projectId: 'delete' }),
        note('Keep me: new phone number 0151 999999.', { projectId: 'delete' }),
      ]);
      expect(await store.delete([records[0]!.id, 'never-existed'])).toBe(1);
      expect(await store.get(records[0]!.id)).toBeUndefined();
      expect((await store.search('phone number', { k: 5, filters: { projectId: 'delete' } })).ids).toEqual([
        records[1]!.id,
      ]);
    });

    it("prunes records past their kind's retention and keeps the rest", async () => {
      const projectId = 'retention';
      const [oldMessage, newMessage, oldDecision, oldFact] = await store.upsert([
        note('Old chit-chat email about the weather.', {
          projectId,
          kind: 'message',
          createdAt: '2024-12-01T00:00:00Z',
        }),
        note('Recent email confirming the kickoff.', { projectId, kind: 'message', createdAt: '2025-02-20T00:00:00Z' }),
        note('Decision from last year: we never work weekends.', {
          projectId,
          kind: 'decision',
          createdAt: '2024-01-01T00:00:00Z',
        }),
        note('Old fact with no retention rule.', { projectId, kind: 'fact', createdAt: '2023-01-01T00:00:00Z' }),
      ]);
      const pruned = await store.prune(
        { message: { ttlDays: 30 }, decision: { keepForever: true } },
        '2025-03-01T00:00:00Z',
      );
      expect(pruned).toBe(1);
      expect(await store.get(oldMessage!.id)).toBeUndefined();
      for (const kept of [newMessage, oldDecision, oldFact]) expect(await store.get(kept!.id)).toBeDefined();
      const { ids } = await store.search('email', { k: 10, filters: { projectId } });
      expect(sortedIds(ids)).toEqual(sortedIds([newMessage!.id, oldDecision!.id, oldFact!.id]));
    });

    it('lists records of another embedding model as stale and re-embeds them', async () => {
      // The same model under an older name stands in for a configured model change.
      const previous: Embedder = {
        model: 'use-lite-en-512-previous',
        dimensions: embedder.dimensions,
        embed: (t) => embedder.embed(t),
      };
      const old = open({ name: 'lifecycle', embedder: previous, now: () => clock });
      await old.init();
      const stale = await old.upsert([
        note('Embedded by the previous model, A.'),
        note('Embedded by the previous model, B.'),
      ]);
      await old.close();
      const staleIds = sortedIds(stale.map((record) => record.id));
      expect(await store.staleEmbeddings(10)).toEqual(staleIds);
      expect(await store.staleEmbeddings(1)).toEqual(staleIds.slice(0, 1));
      expect(await store.reembed(staleIds)).toBe(2);
      expect(await store.staleEmbeddings(10)).toEqual([]);
      expect((await store.get(staleIds[0]!))?.embeddingModel).toBe(embedder.model);
    });
  });
});
