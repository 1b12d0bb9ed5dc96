import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealed, open, openText, seal } from '../../security/envelope.ts';
import { keyringPath, loadKeyring, rotateKeyring } from '../../security/keyring.ts';

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'trellis-keys-'));

describe('keyring', () => {
  it('is created once, with mode 0600, and read back the same', () => {
    const dir = dataDir();
    const first = loadKeyring(dir, {});
    const again = loadKeyring(dir, {});
    expect(again.current).toBe(first.current);
    expect(again.keys.get(first.current)?.equals(first.keys.get(first.current)!)).toBe(true);
    expect(statSync(keyringPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(keyringPath(dir))).mode & 0o777).toBe(0o700);
  });

  it('rotates: new values use the new key, old values still open', () => {
    const dir = dataDir();
    const before = loadKeyring(dir, {});
    const old = seal(before, 'hunter2', 'source:a');
    const id = rotateKeyring(dir);
    const after = loadKeyring(dir, {});
    expect(after.current).toBe(id);
    expect(id).not.toBe(before.current);
    expect(openText(after, old, 'source:a')).toBe('hunter2');
    expect(seal(after, 'x', 'c').split('.')[1]).toBe(id);
    expect(statSync(keyringPath(dir)).mode & 0o777).toBe(0o600);
  });

  it('takes a whole keyring from TRELLIS_KEYRING and refuses a malformed one', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const keyring = loadKeyring(dataDir(), { TRELLIS_KEYRING: JSON.stringify({ current: 'ops', keys: { ops: key } }) });
    expect(keyring.current).toBe('ops');
    expect(() => loadKeyring(dataDir(), { TRELLIS_KEYRING: '{"current":"x","keys":{}}' })).toThrow(/current key/);
    expect(() => loadKeyring(dataDir(), { TRELLIS_KEYRING: '{"current":"x","keys":{"x":"c2hvcnQ="}}' })).toThrow(
      /32 bytes/,
    );
  });
});

describe('envelope', () => {
  const keyring = loadKeyring(dataDir(), {});

  it('round-trips, with a fresh nonce each time and no plaintext in the sealed text', () => {
    const a = seal(keyring, 'whsec_abc123', 'webhook-source:1');
    const b = seal(keyring, 'whsec_abc123', 'webhook-source:1');
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('whsec');
    expect(openText(keyring, a, 'webhook-source:1')).toBe('whsec_abc123');
  });

  it('refuses a value moved to another context, altered, or sealed with a key it does not hold', () => {
    const sealed = seal(keyring, 'secret', 'webhook-source:1');
    expect(() => open(keyring, sealed, 'webhook-source:2')).toThrow(/does not open/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => open(keyring, parts.join('.'), 'webhook-source:1')).toThrow(/does not open/);
    const other = loadKeyring(dataDir(), {});
    const foreign = seal({ current: 'k9', keys: new Map([['k9', other.keys.get(other.current)!]]) }, 's', 'c');
    expect(() => open(keyring, foreign, 'c')).toThrow(/does not hold/);
    expect(() => open(keyring, 'plain text', 'c')).toThrow(/not a sealed value/);
  });

  it('never writes a key into the sealed value', () => {
    const dir = dataDir();
    const ring = loadKeyring(dir, {});
    const file = readFileSync(keyringPath(dir), 'utf8');
    const key = ring.keys.get(ring.current)!.toString('base64url');
    expect(seal(ring, 'x', 'c')).not.toContain(key);
    expect(file).toContain(ring.keys.get(ring.current)!.toString('base64'));
  });
});
