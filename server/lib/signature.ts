import { createHmac, timingSafeEqual } from 'node:crypto';

// Webhook signatures: `X-Trellis-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
// with `X-Trellis-Timestamp: <unix seconds>`. The timestamp is inside the MAC, so a captured
// request can only be replayed while it is fresh, and the server refuses a signature it has seen.

export const SIGNATURE_HEADER = 'x-trellis-signature';
export const TIMESTAMP_HEADER = 'x-trellis-timestamp';
export const TOLERANCE_SECONDS = 5 * 60;

export function signBody(secret: string, timestamp: number | string, body: Uint8Array | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

export type SignatureCheck =
  { ok: true; signedAt: Date; signature: string } | { ok: false; reason: string; pointer: string };

/** Checks presence, freshness (±5 min) and the MAC, comparing in constant time. */
export function verifySignature(
  secret: string,
  headers: { signature?: string | string[] | undefined; timestamp?: string | string[] | undefined },
  body: Uint8Array,
  now: Date = new Date(),
): SignatureCheck {
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
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  // The length is public (`sha256=` and 64 hex digits); values of that length are compared in constant time.
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  if (!same) return { ok: false, reason: 'the signature does not match', pointer: `/headers/${SIGNATURE_HEADER}` };
  return { ok: true, signedAt, signature };
}
