import { canonicalize } from 'json-canonicalize';
import { sha256Hex } from '../../lib/sha256.ts';
import { parseContentType } from '../../nodes/ingest/parse/bytes.ts';
import { rejectInput } from '../../nodes/ingest/parse/rejected.ts';
import type { IngestSourceKind } from '../../nodes/ingest/parse/types.ts';
import type { Event } from '../../schemas/event.ts';
import type { Queryable } from '../../store/db.ts';
import { getEventRaw, recordEvent } from '../../store/events.ts';

// A second delivery under an idempotency key already used is a duplicate: one event, nothing new
// started. When its body differs from the first one's, that is said (409) and kept: the second
// body is stored as a rejected record naming the first event, so no delivery is dropped unseen.

const jsonOf = (bytes: Buffer): string | undefined => {
  try {
    return canonicalize(JSON.parse(bytes.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
};

/** Whether two bodies are the same delivery: the same bytes, or (JSON sources) the same JSON however written. */
function sameBody(kind: IngestSourceKind, first: Buffer, again: Buffer): boolean {
  if (first.equals(again)) return true;
  if (kind !== 'webhook' && kind !== 'form') return false;
  const a = jsonOf(first);
  return a !== undefined && a === jsonOf(again);
}

export interface BodyConflict {
  /** The rejected record that keeps the differing body. */
  recordId: string;
  message: string;
}

/**
 * For a duplicate: whether the body differs from the first event's, and if so the record of it.
 * Mail keyed by its Message-ID is left alone (relays rewrite headers); a key the sender chose, a
 * webhook's or form's own id and a document's version are compared.
 */
export async function recordBodyConflict(
  db: Queryable,
  kind: IngestSourceKind,
  first: Event,
  delivery: { body: Buffer; contentType?: string; sourceName: string; idempotencyKey: string; explicitKey: boolean },
): Promise<BodyConflict | undefined> {
  if (kind === 'email' && !delivery.explicitKey) return undefined;
  const firstBody = await getEventRaw(db, first.id);
  if (!firstBody || sameBody(kind, firstBody, delivery.body)) return undefined;
  const message =
    `idempotency key ${delivery.idempotencyKey} was first used for event ${first.id} with a different body: ` +
    'this body was not processed (kept as a rejected record); send new content under a new key';
  const receivedAt = new Date().toISOString();
  const { mediaType } = parseContentType(delivery.contentType);
  const parsed = rejectInput(
    kind,
    { bytes: delivery.body, receivedAt, sourceName: delivery.sourceName, ...(mediaType ? { mediaType } : {}) },
    'idempotency key reused with a different body',
    [{ pointer: '/headers/idempotency-key', message: `was first used for event ${first.id} with a different body` }],
  );
  const recorded = await recordEvent(
    db,
    { ...parsed.draft, metadata: { ...parsed.draft.metadata, conflictsWith: first.id } },
    {
      // One record per differing body: the same wrong retry sent again is not recorded twice.
      idempotencyKey: `${delivery.idempotencyKey.slice(0, 200)}#differs:${sha256Hex(delivery.body).slice(0, 32)}`,
      raw: delivery.body,
      receivedAt,
      sourceName: delivery.sourceName,
    },
  );
  return { recordId: recorded.event.id, message };
}
