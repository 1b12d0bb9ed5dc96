import { createHash } from 'node:crypto';

/** SHA-256 of the bytes (a string counts as its UTF-8 bytes) as 64 lower-case hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
