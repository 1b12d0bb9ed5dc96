import { ingestRaw } from '../../nodes/ingest/ingest.ts';
import { verifySender, type VerifySenderOptions } from '../../mail/verify-sender.ts';
import type { Event } from '../../schemas/event.ts';
import type { Db } from '../../store/db.ts';
import type { Keyring } from '../../security/keyring.ts';
import {
  getVerifiableSource,
  pruneSignatures,
  rememberSignature,
  type VerifiableSource,
  type WebhookSource,
} from '../../store/webhook-sources.ts';
import { dispatchEvent, type DispatchContext, type EventDispatch, type StoredEvent } from './event-routing.ts';
import type { IngestSourceKind } from '../../nodes/ingest/parse/types.ts';
import { badRequest, conflict } from './http-errors.ts';
import { recordBodyConflict, type BodyConflict } from './ingest-conflicts.ts';
import { SIGNATURE_HEADER, TOLERANCE_SECONDS } from './signature.ts';

/** A delivery that passed the gate (server/lib/ingest-gate.ts): its source known, its signature checked. */
export interface Delivery {
  source: WebhookSource;
  body: Buffer;
  contentType?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The checked signature of a signed delivery, for the replay check; absent for an operator's upload. */
  signature?: { value: string; signedAt: Date };
  uri?: string;
  version?: string;
  /** Document sources: read the body as a transcript or a document (else decided by its type and uri). */
  kind?: 'document' | 'transcript';
  /** Transcripts: when the meeting took place. */
  meetingAt?: string;
  /** Email from a mail account: its maxAttachmentBytes. */
  maxAttachmentBytes?: number;
}

export interface IngestReply extends EventDispatch {
  eventId: string;
  status: Event['status'];
  duplicate: boolean;
  idempotencyKey: string;
  /** Why a rejected event could not be read, and the fields at fault (answered 422). */
  rejection?: Event['rejection'];
  /** A duplicate whose body differs from the first delivery's (answered 409). */
  bodyDiffers?: BodyConflict;
}

export interface IngestContext extends DispatchContext {
  sources: SourceCache;
  /** How an email's sender is verified (trusted receiving servers, DNS). */
  senderTrust?: VerifySenderOptions;
}

/**
 * Sources change rarely and every delivery needs its own: a few seconds of cache spare the database
 * (and the unsealing). Creating, rotating or deleting a source forgets its entry; an entry keeps
 * each secret's end, so a previous secret stops verifying on time whatever the cache holds.
 */
export class SourceCache {
  readonly #entries = new Map<string, { source: VerifiableSource | undefined; at: number }>();
  readonly #keyring: Keyring;
  readonly #ttlMs: number;
  #lastPrune = 0;
  constructor(keyring: Keyring, ttlMs = 5_000) {
    this.#keyring = keyring;
    this.#ttlMs = ttlMs;
  }
  async get(db: Db, name: string): Promise<VerifiableSource | undefined> {
    const hit = this.#entries.get(name);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.source;
    const source = await getVerifiableSource(db, this.#keyring, name);
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

/** Media types that are transcripts whatever the document source. */
const transcriptTypes = /^(?:text\/vtt|application\/x-subrip|text\/srt|application\/srt)\s*(?:;|$)/i;

/**
 * How a delivery is read: by its source's kind, except that a document source also takes meeting
 * transcripts, asked for (`?kind=transcript`) or recognised by their type or uri (.vtt, .srt). A
 * plain .txt stays a document unless asked for: the CLI runs the detector and asks.
 */
export function readAs(delivery: Pick<Delivery, 'source' | 'kind' | 'contentType' | 'uri'>): IngestSourceKind {
  const { source } = delivery;
  if (delivery.kind !== undefined && source.kind !== 'document') {
    throw badRequest(
      `kind=${delivery.kind} is for document sources; ${source.name} is a ${source.kind} source`,
      '/query/kind',
    );
  }
  if (source.kind !== 'document') return source.kind;
  if (delivery.kind) return delivery.kind;
  if (transcriptTypes.test(delivery.contentType ?? '') || /\.(?:vtt|srt)$/i.test(delivery.uri ?? ''))
    return 'transcript';
  return 'document';
}

export interface StoredDelivery {
  recorded: StoredEvent;
  bodyDiffers?: BodyConflict;
}

/**
 * The first half of a delivery: refuse a replayed signature and store the event durably (once per
 * idempotency key). The mail intake stops here and routes later (mail/intake/dispatch-pump.ts).
 */
export async function storeDelivery(context: IngestContext, delivery: Delivery): Promise<StoredDelivery> {
  const { db } = context;
  const { source, signature } = delivery;

  const explicitKey = header(delivery.headers, 'idempotency-key');
  const kind = readAs(delivery);
  // DNS lookups take time: done before the transaction, which must not wait on them.
  const senderVerification =
    source.kind === 'email' ? await verifySender(delivery.body, context.senderTrust) : undefined;
  const recorded = await db.transaction(async (tx) => {
    if (signature && !(await rememberSignature(tx, source.name, signature.value, signature.signedAt))) {
      throw conflict('this signature was already used: sign each delivery anew', `/headers/${SIGNATURE_HEADER}`);
    }
    return ingestRaw(
      tx,
      kind,
      {
        content: delivery.body.toString('base64'),
        encoding: 'base64',
        ...(delivery.contentType ? { contentType: delivery.contentType } : {}),
        ...(delivery.uri ? { uri: delivery.uri } : {}),
        ...(delivery.version ? { version: delivery.version } : {}),
        ...(delivery.meetingAt ? { meetingAt: delivery.meetingAt } : {}),
        // A caller's key is scoped to its source: two senders may both use "1".
        ...(explicitKey ? { idempotencyKey: `${source.name}:${explicitKey.slice(0, 200)}` } : {}),
      },
      {
        sourceName: source.name,
        ...(senderVerification ? { senderVerification } : {}),
        ...(delivery.maxAttachmentBytes === undefined ? {} : { maxAttachmentBytes: delivery.maxAttachmentBytes }),
      },
    );
  });
  context.sources.pruneSoon(db, context.warn);

  const { event, duplicate, idempotencyKey } = recorded;
  const bodyDiffers = duplicate
    ? await recordBodyConflict(db, kind, event, {
        body: delivery.body,
        ...(delivery.contentType ? { contentType: delivery.contentType } : {}),
        sourceName: source.name,
        idempotencyKey,
        explicitKey: explicitKey !== undefined,
      })
    : undefined;
  return { recorded, ...(bodyDiffers ? { bodyDiffers } : {}) };
}

/**
 * One authenticated delivery: store the event (storeDelivery), then dispatch it
 * (server/lib/event-routing.ts): the intent router or the workflows wired to the source, keyed so
 * that a duplicate delivery finds the same event and the same runs and starts nothing new.
 */
export async function ingestDelivery(context: IngestContext, delivery: Delivery): Promise<IngestReply> {
  const { recorded, bodyDiffers } = await storeDelivery(context, delivery);
  const { event, duplicate, idempotencyKey } = recorded;
  const dispatched = await dispatchEvent(context, delivery.source.name, recorded);
  return {
    eventId: event.id,
    status: event.status,
    duplicate,
    idempotencyKey,
    ...(event.rejection ? { rejection: event.rejection } : {}),
    ...(bodyDiffers ? { bodyDiffers } : {}),
    ...dispatched,
  };
}
