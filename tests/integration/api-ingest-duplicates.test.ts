import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signBody } from '../../server/lib/signature.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';
import { countingWebhookWorkflow, runsOfWorkflow } from '../support/webhook-counting.ts';

interface Delivery {
  key: string;
  body: string;
  headers: Record<string, string>;
}

interface Reply {
  eventId: string;
  duplicate: boolean;
  runs: { runId: string; started: boolean }[];
}

const UNIQUE = 700;
const DUPLICATES = 300;

describe('1,000 webhook deliveries with 30% duplicates and concurrent retries', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let app: FastifyInstance;
  let base: string;
  let secret = '';
  let workflowId = '';
  const source = `load-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-ingest-duplicates test', listen: true });
    ({ h, app, base } = server);
    ({ secret, workflowId } = await countingWebhookWorkflow(h, app.services.keyring, source, 'Count deliveries'));
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Half the keys come in the Idempotency-Key header, half are derived from the body's `id`. */
  function original(i: number): Delivery {
    const body = JSON.stringify({ id: `delivery-${i}`, text: `order ${i}` });
    return i % 2 === 0
      ? { key: `${source}:hdr-${i}`, body, headers: { 'idempotency-key': `hdr-${i}` } }
      : { key: `webhook:webhook://${source}/delivery-${i}`, body, headers: {} };
  }

  // Every delivery is signed anew (its own timestamp), as a sender's retry would be. A retry sent as
  // the clock ticks could land on its original's timestamp (the same signature: a replay, 409), so
  // a timestamp already used for the key is moved back a second.
  let clock = 0;
  const signedAt = new Set<string>();
  async function send(delivery: Delivery): Promise<{ status: number; reply: Reply }> {
    let timestamp = Math.floor(Date.now() / 1000) - (clock++ % 240);
    while (signedAt.has(`${delivery.key}@${timestamp}`)) timestamp -= 1;
    signedAt.add(`${delivery.key}@${timestamp}`);
    const response = await fetch(`${base}/api/ingest/${source}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trellis-timestamp': String(timestamp),
        'x-trellis-signature': signBody(secret, timestamp, delivery.body),
        ...delivery.headers,
      },
      body: delivery.body,
    });
    return { status: response.status, reply: (await response.json()) as Reply };
  }

  it('stores exactly one event and starts exactly one run per idempotency key', async () => {
    const originals = Array.from({ length: UNIQUE }, (_, i) => original(i));
    // 150 retries race their original (sent in the same batch), 150 come after everything.
    const concurrent = originals.slice(0, DUPLICATES / 2);
    const late = originals.slice(UNIQUE - DUPLICATES / 2);
    const queue: Delivery[][] = [];
    for (let i = 0; i < originals.length; i++) {
      const batch = [originals[i]!];
      if (i < concurrent.length) batch.push(concurrent[i]!);
      queue.push(batch);
    }
    for (const delivery of late) queue.push([delivery]);

    const results: { key: string; status: number; reply: Reply }[] = [];
    const concurrency = 16;
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < queue.length) {
          const batch = queue[next++]!;
          const answers = await Promise.all(batch.map((delivery) => send(delivery)));
          answers.forEach((answer, index) => results.push({ key: batch[index]!.key, ...answer }));
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    expect(results).toHaveLength(UNIQUE + DUPLICATES);
    expect(results.filter((r) => r.status !== 202)).toEqual([]);
    const byKey = new Map<string, Reply[]>();
    for (const result of results) byKey.set(result.key, [...(byKey.get(result.key) ?? []), result.reply]);
    expect(byKey.size).toBe(UNIQUE);
    for (const replies of byKey.values()) {
      // Every delivery of a key answers with the same event and the same run; exactly one was first.
      expect(new Set(replies.map((r) => r.eventId)).size).toBe(1);
      expect(new Set(replies.map((r) => r.runs[0]?.runId)).size).toBe(1);
      expect(replies.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(replies.filter((r) => r.runs[0]?.started)).toHaveLength(1);
    }

    const events = await h.db.query<{ events: number; keys: number }>(
      'select count(*)::int as events, count(distinct idempotency_key)::int as keys from events where source_name = $1',
      [source],
    );
    expect(events.rows[0]).toEqual({ events: UNIQUE, keys: UNIQUE });

    // Temporal's count, once the runs have finished on the harness's worker.
    const { runIds, completed } = await runsOfWorkflow(h, workflowId, UNIQUE);
    expect(runIds).toHaveLength(UNIQUE);
    expect(new Set(runIds).size).toBe(UNIQUE);
    expect(new Set(runIds)).toEqual(new Set([...byKey.keys()].map((key) => `run:${workflowId}:${key}`)));
    expect(completed).toBe(UNIQUE);

    console.log(
      `[api-ingest-duplicates] ${results.length} deliveries (${UNIQUE} keys, ${DUPLICATES} duplicates, ` +
        `${concurrent.length} concurrent) in ${seconds.toFixed(1)} s: ${events.rows[0]?.events} events, ` +
        `${runIds.length} runs (${completed} completed) in Temporal`,
    );
  }, 300_000);
});
