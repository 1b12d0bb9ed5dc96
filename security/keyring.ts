// The installation's keys for encrypting what it stores (webhook secrets, mail and MCP
// credentials, client data in histories): kept outside the database, in the data folder with
// mode 0600, or given whole in TRELLIS_KEYRING for deployments that keep keys elsewhere.
// Rotation adds a key and makes it current; older keys stay to open what they sealed.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Keyring {
  /** The id of the key new data is sealed with. */
  current: string;
  /** Every key by id, 32 bytes each (AES-256). */
  keys: Map<string, Buffer>;
}

interface KeyringFile {
  current: string;
  keys: Record<string, string>;
}

const KEY_BYTES = 32;

export class KeyringError extends Error {}

export function keyringPath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'keyring.json');
}

function parse(text: string, where: string): Keyring {
  let file: KeyringFile;
  try {
    file = JSON.parse(text) as KeyringFile;
  } catch {
    throw new KeyringError(`${where} is not valid JSON`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, encoded] of Object.entries(file.keys ?? {})) {
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) throw new KeyringError(`${where}: key ${id} is not ${KEY_BYTES} bytes`);
    keys.set(id, key);
  }
  if (!file.current || !keys.has(file.current)) throw new KeyringError(`${where}: the current key is missing`);
  return { current: file.current, keys };
}

function serialise(keyring: Keyring): string {
  const keys = Object.fromEntries([...keyring.keys].map(([id, key]) => [id, key.toString('base64')]));
  return `${JSON.stringify({ current: keyring.current, keys }, null, 2)}\n`;
}

function newKeyId(existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let n = taken.size + 1; ; n++) if (!taken.has(`k${n}`)) return `k${n}`;
}

function writePrivate(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write then rename, so a crash never leaves half a keyring.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/**
 * The keyring from TRELLIS_KEYRING when set, else the data folder's, created with one random
 * key on first use.
 */
export function loadKeyring(dataDir: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  const given = env.TRELLIS_KEYRING;
  if (given) return parse(given, 'TRELLIS_KEYRING');
  const file = keyringPath(dataDir);
  if (existsSync(file)) return parse(readFileSync(file, 'utf8'), file);
  const keyring: Keyring = { current: 'k1', keys: new Map([['k1', randomBytes(KEY_BYTES)]]) };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting at once must not each create a different first key.
    writeFileSync(file, serialise(keyring), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return keyring;
  } catch {
    return parse(readFileSync(file, 'utf8'), file);
  }
}

/** Adds a new key and makes it current; returns its id. Old keys stay to open older data. */
export function rotateKeyring(dataDir: string): string {
  const file = keyringPath(dataDir);
  const keyring = loadKeyring(dataDir, {});
  const id = newKeyId(keyring.keys.keys());
  keyring.keys.set(id, randomBytes(KEY_BYTES));
  keyring.current = id;
  writePrivate(file, serialise(keyring));
  return id;
}
