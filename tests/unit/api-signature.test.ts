import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, TOLERANCE_SECONDS, verifySignature } from '../../server/lib/signature.ts';

const secret = 'whsec_test';
const body = Buffer.from('{"id":"evt_1","amount":12}');
const at = new Date('2026-03-02T10:00:00Z');
const ts = Math.floor(at.getTime() / 1000);

describe('webhook signatures', () => {
  it('signs HMAC-SHA256 over "timestamp.body", as docs/API.md says', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body.toString()}`).digest('hex');
    expect(signBody(secret, ts, body)).toBe(`sha256=${expected}`);
  });

  it('accepts a fresh, correct signature and returns when it was signed', () => {
    const check = verifySignature(secret, { signature: signBody(secret, ts, body), timestamp: String(ts) }, body, at);
    expect(check).toEqual({ ok: true, signedAt: at, signature: signBody(secret, ts, body) });
  });

  it.each([
    ['no signature', {}, '/headers/x-trellis-signature', /not signed/],
    ['no timestamp', { signature: 'sha256=00' }, '/headers/x-trellis-timestamp', /missing/],
    [
      'a timestamp that is not unix seconds',
      { signature: 'sha256=00', timestamp: '2026-03-02' },
      '/headers/x-trellis-timestamp',
      /unix seconds/,
    ],
    [
      'a signature of another length',
      { signature: 'sha256=abc', timestamp: String(ts) },
      '/headers/x-trellis-signature',
      /does not match/,
    ],
    [
      'a signature made with another secret',
      { signature: signBody('other', ts, body), timestamp: String(ts) },
      '/headers/x-trellis-signature',
      /does not match/,
    ],
    [
      'a signature over another timestamp',
      { signature: signBody(secret, ts - 1, body), timestamp: String(ts) },
      '/headers/x-trellis-signature',
      /does not match/,
    ],
    [
      'a repeated header',
      { signature: [signBody(secret, ts, body)], timestamp: String(ts) },
      '/headers/x-trellis-signature',
      /not signed/,
    ],
  ])('refuses %s, naming the header', (_what, headers, pointer, reason) => {
    const check = verifySignature(secret, headers, body, at);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.pointer).toBe(pointer);
      expect(check.reason).toMatch(reason);
    }
  });

  it('refuses a timestamp more than five minutes away, either way, and accepts one at the edge', () => {
    for (const offset of [TOLERANCE_SECONDS + 1, -(TOLERANCE_SECONDS + 1)]) {
      const signedAt = ts + offset;
      const check = verifySignature(
        secret,
        { signature: signBody(secret, signedAt, body), timestamp: String(signedAt) },
        body,
        at,
      );
      expect(check).toMatchObject({ ok: false, pointer: '/headers/x-trellis-timestamp' });
    }
    const edge = ts - TOLERANCE_SECONDS;
    expect(
      verifySignature(secret, { signature: signBody(secret, edge, body), timestamp: String(edge) }, body, at).ok,
    ).toBe(true);
  });

  it('refuses a body changed after signing', () => {
    const signature = signBody(secret, ts, body);
    const tampered = Buffer.from('{"id":"evt_1","amount":1200}');
    expect(verifySignature(secret, { signature, timestamp: String(ts) }, tampered, at).ok).toBe(false);
  });
});
