import type { FieldError } from '../../../schemas/ajv.ts';
import { sha256Hex } from '../../../lib/sha256.ts';
import { hashUri, shortHash } from './bytes.ts';
import { eventTypes, type IngestSourceKind, type Parsed, type RawContent } from './types.ts';

/**
 * Input that cannot become an accepted event still becomes an event: rejected, with the
 * reason and the fields at fault (JSON pointers into the ingest input: `/content`,
 * `/contentType`, `/content/headers/from`, `/content/budget`). The caller keeps the raw bytes.
 */
export function rejectInput(
  kind: IngestSourceKind,
  raw: Pick<RawContent, 'bytes' | 'mediaType' | 'uri' | 'version' | 'receivedAt' | 'sourceName'>,
  reason: string,
  errors: FieldError[],
): Parsed {
  return {
    identity: `sha256:${sha256Hex(raw.bytes)}`,
    draft: {
      type: eventTypes[kind],
      status: 'rejected',
      actor: { kind: 'system', ...(raw.sourceName ? { name: raw.sourceName } : {}) },
      source: { kind, uri: raw.uri ?? hashUri(raw.bytes), version: raw.version ?? shortHash(raw.bytes) },
      occurredAt: raw.receivedAt,
      confidence: 0,
      payload: {},
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        ...(raw.mediaType ? { contentType: raw.mediaType } : {}),
        size: raw.bytes.length,
      },
      rejection: { reason, errors },
    },
  };
}
