import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

// An exported workflow file carries the hash of its content, so an import can tell a file changed
// since its export (by hand or by someone else) and ask before taking it. It is a checksum, not a
// signature: whoever edits the file can recompute it; it catches edits no one meant to make.

/** `sha256:<hex>` over the canonical JSON (RFC 8785) of the document without its `contentHash`. */
export function exportContentHash(document: Record<string, unknown>): string {
  const content = Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'contentHash'));
  return `sha256:${createHash('sha256').update(canonicalize(content)).digest('hex')}`;
}

export type ExportIntegrity = 'matches' | 'modified' | 'unhashed';

/** Whether the document is as it was exported; a file without a hash was written some other way. */
export function exportIntegrity(document: unknown): ExportIntegrity {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'unhashed';
  const { contentHash } = document as { contentHash?: unknown };
  if (typeof contentHash !== 'string') return 'unhashed';
  return exportContentHash(document as Record<string, unknown>) === contentHash ? 'matches' : 'modified';
}
