import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

// Webhook signatures: `X-Trellis-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
// with `X-Trellis-Timestamp: <unix seconds>`. The timestamp is inside the MAC, so a captured
// request can only be replayed while it is fresh, and the server refuses a signature it has seen.
// Ingest checks the headers before it reads the body, then streams the body into the MAC.

export const SIGNATURE_HEADER = 'x-trellis-signature';
export const TIMESTAMP_HEADER = 'x-trellis-timestamp';
export const TOLERANCE_SECONDS = 5 * 60;

/** The one answer to a wrong signature and to an unknown source alike, so that source names cannot be probed. */
export const SIGNATURE_MISMATCH = 'the signature does not match';

/** A MAC ready for the body: the timestamp and the dot are already in. */
export function signatureMac(secret: string, timestamp: number | string): Hmac {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  return mac;
}

export function signBody(secret: string, timestamp: number | string, body: Uint8Array | string): string {
  return `sha256=${signatureMac(secret, timestamp).update(body).digest('hex')}`;
}

export type HeaderCheck =
  { ok: true; signedAt: Date; signature: string; timestamp: string } | { ok: false; reason: string; pointer: string };

export type SignatureCheck =
  { ok: true; signedAt: Date; signature: string } | { ok: false; reason: string; pointer: string };

/** Presence and freshness (±5 min) of the signature headers: what can be checked before the body. */
export function checkSignatureHeaders(
  headers: { signature?: string | string[] | undefined; timestamp?: string | string[] | undefined },
  now: Date = new Date(),
): HeaderCheck {
  const signature = typeof headers.signature === 'string' ? headers.signature.trim() : undefined;
  const timestamp = typeof headers.timestamp === 'string' ? headers.timestamp.trim() : undefined;
  if (!signature) return { ok: false, reason: 'the request is not signed', pointer: `/headers/${SIGNATURE_HEADER}` };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return {
      ok: false,
      reason: 'the timestamp is missing or not unix seconds',
      pointer: `/headers/${TIMESTAMP_HEADER}`,
    };
  const signedAt = new Date(Number(timestamp) * 1000);
  if (Math.abs(now.getTime() - signedAt.getTime()) > TOLERANCE_SECONDS * 1000)
    return {
      ok: false,
      reason: 'the timestamp is stale (more than 5 minutes off)',
      pointer: `/headers/${TIMESTAMP_HEADER}`,
    };
  return { ok: true, signedAt, signature, timestamp };
}

/** Whether the given `sha256=<hex>` is the MAC's digest, compared in constant time. */
export function sameSignature(given: string, mac: Hmac): boolean {
  const expected = Buffer.from(`sha256=${mac.digest('hex')}`);
  const actual = Buffer.from(given);
  // The length is public (`sha256=` and 64 hex digits); values of that length are compared in constant time.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checks presence, freshness (±5 min) and the MAC of a body already in memory. */
export function verifySignature(
  secret: string,
  headers: { signature?: string | string[] | undefined; timestamp?: string | string[] | undefined },
  body: Uint8Array,
  now: Date = new Date(),
): SignatureCheck {
  const check = checkSignatureHeaders(headers, now);
  if (!check.ok) return check;
  if (!sameSignature(check.signature, signatureMac(secret, check.timestamp).update(body)))
    return { ok: false, reason: SIGNATURE_MISMATCH, pointer: `/headers/${SIGNATURE_HEADER}` };
  return { ok: true, signedAt: check.signedAt, signature: check.signature };
}
