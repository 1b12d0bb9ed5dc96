import { ingestRaw } from '../../nodes/ingest/ingest.ts';
import type { Event } from '../../schemas/event.ts';
import type { Db } from '../../store/db.ts';
import {
  getWebhookSource,
  pruneSignatures,
  rememberSignature,
  type WebhookSourceWithSecret,
} from '../../store/webhook-sources.ts';
import { dispatchEvent, type DispatchContext, type EventDispatch } from './event-routing.ts';
import { conflict, HttpError, notFound, unauthorized } from './http-errors.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, TOLERANCE_SECONDS, verifySignature } from './signature.ts';

export const JSON_LIMIT = 1024 * 1024;
export const FILE_LIMIT = 10 * 1024 * 1024;

export interface Delivery {
  source: string;
  body: Buffer;
  contentType?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The caller showed a valid bearer token (an operator's upload): no signature needed. */
  trusted: boolean;
  uri?: string;
  version?: string;
}

export interface IngestReply extends EventDispatch {
  eventId: string;
  status: Event['status'];
  duplicate: boolean;
  idempotencyKey: string;
}

export interface IngestContext extends DispatchContext {
  sources: SourceCache;
}

/** Sources change rarely and every delivery needs its own: a few seconds of cache spare the database. */
export class SourceCache {
  readonly #entries = new Map<string, { source: WebhookSourceWithSecret | undefined; at: number }>();
  readonly #ttlMs: number;
  #lastPrune = 0;
  constructor(ttlMs = 5_000) {
    this.#ttlMs = ttlMs;
  }
  async get(db: Db, name: string): Promise<WebhookSourceWithSecret | undefined> {
    const hit = this.#entries.get(name);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.source;
    const source = await getWebhookSource(db, name);
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(name, { source, at: Date.now() });
    return source;
  }
  forget(name: string): void {
    this.#entries.delete(name);
  }
  /** Seen signatures older than the tolerance are refused by their timestamp anyway; forget them once a minute. */
  pruneSoon(db: Db, warn: (message: string) => void = console.warn): void {
    if (Date.now() - this.#lastPrune < 60_000) return;
    this.#lastPrune = Date.now();
    // Not on the delivery's path: a failed prune is retried a minute later, but said.
    void pruneSignatures(db, new Date(Date.now() - 2 * TOLERANCE_SECONDS * 1000)).catch((error: unknown) =>
      warn(`ingest: pruning seen webhook signatures failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

const header = (headers: Delivery['headers'], name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/**
 * One delivery: authenticate it (signature, or the operator's token), store the event durably
 * (once per idempotency key), then dispatch it (server/lib/event-routing.ts): the intent router or
 * the workflows wired to the source, keyed so that a duplicate delivery finds the same event and
 * the same runs and starts nothing new.
 */
export async function ingestDelivery(context: IngestContext, delivery: Delivery): Promise<IngestReply> {
  const { db } = context;
  const source = await context.sources.get(db, delivery.source);
  if (!source) throw notFound('webhook source', '/params/source');

  let signature: { value: string; signedAt: Date } | undefined;
  if (!delivery.trusted) {
    const check = verifySignature(
      source.secret,
      { signature: delivery.headers[SIGNATURE_HEADER], timestamp: delivery.headers[TIMESTAMP_HEADER] },
      delivery.body,
    );
    if (!check.ok) throw unauthorized(check.reason, check.pointer);
    signature = { value: check.signature, signedAt: check.signedAt };
  }
  if ((source.kind === 'webhook' || source.kind === 'form') && delivery.body.length > JSON_LIMIT) {
    throw new HttpError(413, `a ${source.kind} body may be at most ${JSON_LIMIT} bytes`, [
      { pointer: '/', message: `is ${delivery.body.length} bytes` },
    ]);
  }

  const explicitKey = header(delivery.headers, 'idempotency-key');
  const recorded = await db.transaction(async (tx) => {
    if (signature && !(await rememberSignature(tx, source.name, signature.value, signature.signedAt))) {
      throw conflict('this signature was already used: sign each delivery anew', `/headers/${SIGNATURE_HEADER}`);
    }
    return ingestRaw(
      tx,
      source.kind,
      {
        content: delivery.body.toString('base64'),
        encoding: 'base64',
        ...(delivery.contentType ? { contentType: delivery.contentType } : {}),
        ...(delivery.uri ? { uri: delivery.uri } : {}),
        ...(delivery.version ? { version: delivery.version } : {}),
        // A caller's key is scoped to its source: two senders may both use "1".
        ...(explicitKey ? { idempotencyKey: `${source.name}:${explicitKey.slice(0, 200)}` } : {}),
      },
      { sourceName: source.name },
    );
  });
  context.sources.pruneSoon(db, context.warn);

  const { event, duplicate, idempotencyKey } = recorded;
  const dispatched = await dispatchEvent(context, source.name, recorded);
  return { eventId: event.id, status: event.status, duplicate, idempotencyKey, ...dispatched };
}
