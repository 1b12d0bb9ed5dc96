import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID (RFC 9562 version 8, "custom") made of the first 16 bytes of a sha256. */
function uuidFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface IdentityParts {
  text: string;
  source: { uri: string; version: string };
  provenance: { workflowId: string; nodeId: string; reviewer?: string };
}

/**
 * The id a record gets when the caller gives none: the same source, version, provenance and
 * text always make the same id, so a retried activity overwrites instead of duplicating.
 */
export function deterministicRecordId({ text, source, provenance }: IdentityParts): string {
  // Hashed under the field's old name `runId`, so ids made before the rename stay the same and a
  // retried write still overwrites the record it wrote then.
  const { workflowId, ...rest } = provenance;
  const identity = canonicalize({
    source: { uri: source.uri, version: source.version },
    provenance: { runId: workflowId, ...rest },
    text,
  });
  return uuidFromDigest(createHash('sha256').update(identity).digest());
}

/** Weaviate accepts only UUIDs as object ids: other ids map to a UUID derived from them. */
export function objectUuid(id: string): string {
  if (UUID.test(id)) return id;
  return uuidFromDigest(createHash('sha256').update(`trellis-memory-id\n${id}`).digest());
}
