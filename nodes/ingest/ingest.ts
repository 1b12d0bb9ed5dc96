import type { SenderVerification, VerifySenderOptions } from '../../mail/verify-sender.ts';
import type { Queryable } from '../../store/db.ts';
import { recordEvent, type RecordedEvent } from '../../store/events.ts';
import { ingestKey } from './idempotency.ts';
import { parseInput, type IngestSourceKind, type RawInput } from './parse/index.ts';

export interface IngestOptions {
  sourceName?: string;
  /** When the input arrived; defaults to now. */
  receivedAt?: string;
  /** Links decided by the caller (an upload into a project) instead of by sender and thread. */
  projectId?: string;
  clientId?: string;
  /** How an email's sender is verified (trusted receiving servers, DNS). */
  senderTrust?: VerifySenderOptions;
  senderVerification?: SenderVerification;
  /** Email: attachments above this are listed, not read. */
  maxAttachmentBytes?: number;
}

/**
 * Parses one raw input and stores it as an event, once per idempotency key: the input's
 * own key, else its identity (Message-ID, webhook id, uri@version, content hash). Used by
 * the ingest node and by the server's ingest route, so both dedupe the same way.
 */
export async function ingestRaw(
  db: Queryable,
  kind: IngestSourceKind,
  raw: RawInput,
  options: IngestOptions = {},
): Promise<RecordedEvent & { idempotencyKey: string }> {
  const receivedAt = raw.receivedAt ?? options.receivedAt ?? new Date().toISOString();
  const parsed = await parseInput(kind, raw, {
    receivedAt,
    ...(options.sourceName ? { sourceName: options.sourceName } : {}),
    ...(options.senderTrust ? { senderTrust: options.senderTrust } : {}),
    ...(options.senderVerification ? { senderVerification: options.senderVerification } : {}),
    ...(options.maxAttachmentBytes === undefined ? {} : { maxAttachmentBytes: options.maxAttachmentBytes }),
  });
  const idempotencyKey = ingestKey(kind, parsed.identity, raw.idempotencyKey);
  const recorded = await recordEvent(db, parsed.draft, {
    idempotencyKey,
    raw: parsed.bytes,
    receivedAt,
    ...(options.sourceName ? { sourceName: options.sourceName } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
  });
  return { ...recorded, idempotencyKey };
}
