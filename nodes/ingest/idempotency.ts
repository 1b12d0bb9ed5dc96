import { sha256Hex } from '../../lib/sha256.ts';
import type { IngestSourceKind } from './parse/types.ts';

const maxKeyLength = 300;

/**
 * The key that makes a retry or a duplicate delivery store one event: the caller's key when
 * it gives one, else the input's identity (Message-ID, webhook id, uri@version, content hash)
 * under its source kind. Long identities are hashed to fit the column.
 */
export function ingestKey(kind: IngestSourceKind, identity: string, explicit?: string): string {
  if (explicit) return explicit;
  const key = `${kind}:${identity}`;
  if (key.length <= maxKeyLength) return key;
  return `${kind}:sha256:${sha256Hex(identity)}`;
}
