// Authenticated encryption of small values (secrets, credentials) with the installation's
// keyring: AES-256-GCM, a fresh 96-bit nonce each time, and associated data that binds a sealed
// value to where it belongs, so a ciphertext copied to another row or field does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

const VERSION = 'v1';

export class EnvelopeError extends Error {}

/** `v1.<key id>.<nonce>.<tag>.<ciphertext>`, base64url parts: safe in a text column. */
export function seal(keyring: Keyring, plaintext: string | Buffer, context: string): string {
  const key = keyring.keys.get(keyring.current)!;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parts = [nonce, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
  return [VERSION, keyring.current, ...parts].join('.');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`) && value.split('.').length === 5;
}

/** Opens what `seal` made with the same context; throws if the key is gone or anything was altered. */
export function open(keyring: Keyring, sealed: string, context: string): Buffer {
  const [version, keyId, nonce, tag, body] = sealed.split('.');
  if (version !== VERSION || !keyId || nonce === undefined || tag === undefined || body === undefined)
    throw new EnvelopeError('not a sealed value');
  const key = keyring.keys.get(keyId);
  if (!key) throw new EnvelopeError(`sealed with key ${keyId}, which this keyring does not hold`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    throw new EnvelopeError('sealed value does not open: altered, or sealed for another place');
  }
}

export const openText = (keyring: Keyring, sealed: string, context: string): string =>
  open(keyring, sealed, context).toString('utf8');
