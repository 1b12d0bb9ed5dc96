import { canonicalize } from 'json-canonicalize';

// An exported workflow file carries the hash of its content, so an import can tell a file changed
// since its export (by hand or by someone else) and ask before taking it. It is a checksum, not a
// signature: whoever edits the file can recompute it; it catches edits no one meant to make.
// WebCrypto, so the server's export and the editor's download hash the same way.

/** `sha256:<hex>` over the canonical JSON (RFC 8785) of the document without its `contentHash`. */
export async function exportContentHash(document: object): Promise<string> {
  const content = Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'contentHash'));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalize(content)));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `sha256:${hex}`;
}

export type ExportIntegrity = 'matches' | 'modified' | 'unhashed';

/** Whether the document is as it was exported; a file without a hash was written some other way. */
export async function exportIntegrity(document: unknown): Promise<ExportIntegrity> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'unhashed';
  const { contentHash } = document as { contentHash?: unknown };
  if (typeof contentHash !== 'string') return 'unhashed';
  return (await exportContentHash(document)) === contentHash ? 'matches' : 'modified';
}
