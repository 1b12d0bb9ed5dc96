// Digests that bind an approval to one exact call. Uses node:crypto: activities only, never workflow code.
import { canonicalize } from 'json-canonicalize';
import { sha256Hex } from '../lib/sha256.ts';

/** SHA-256 of the canonical JSON (RFC 8785) of a call's arguments: key order and spacing do not matter. */
export function argumentsDigest(args: Record<string, unknown>): string {
  return sha256Hex(canonicalize(args));
}

/** The policy version: a hash of the node's tools config (refs, policies, node configs, descriptions). */
export function policyVersion(tools: unknown): string {
  return sha256Hex(canonicalize(tools ?? [])).slice(0, 16);
}
