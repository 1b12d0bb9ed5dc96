import { sha256Hex } from '../lib/sha256.ts';

/** The version an empty index starts at: distinct per backend and collection/table. */
export function initialIndexVersion(backend: string, name: string): string {
  return sha256Hex(`trellis-memory-index\n${backend}\n${name}`).slice(0, 32);
}

/**
 * Each write chains its digest onto the previous version, so the version changes whenever the
 * stored records change, and the same writes in the same order give the same version.
 */
export function nextIndexVersion(previous: string, operation: string, digest: string): string {
  return sha256Hex(`${previous}\n${operation}\n${digest}`).slice(0, 32);
}
