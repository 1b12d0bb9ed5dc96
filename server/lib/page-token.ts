import { createHash } from 'node:crypto';
import { badRequest } from './http-errors.ts';

// Temporal's visibility page tokens are opaque bytes; handed back garbled, Temporal spends many
// seconds before it fails. The API's token is Temporal's with a short checksum, so a token this
// server never gave out is refused at once with a 400 naming it.

const CHECK_BYTES = 8;
const checkOf = (token: Uint8Array) => createHash('sha256').update(token).digest().subarray(0, CHECK_BYTES);

export function encodePageToken(token: Uint8Array): string {
  return Buffer.concat([Buffer.from(token), checkOf(token)]).toString('base64url');
}

export function decodePageToken(text: string, pointer = '/query/pageToken'): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  const token = bytes.subarray(0, bytes.length - CHECK_BYTES);
  if (bytes.length <= CHECK_BYTES || !checkOf(token).equals(bytes.subarray(bytes.length - CHECK_BYTES)))
    throw badRequest('pageToken is not a token this server gave out: pass back nextPageToken as it came', pointer);
  return token;
}
