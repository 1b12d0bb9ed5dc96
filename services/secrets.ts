import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads a JSON secret from the data folder, creating it on first use with mode 0600.
 * `create` receives a random-token helper so secrets never come from a fixed default.
 */
export function loadOrCreateSecret<T>(dataDir: string, name: string, create: (token: () => string) => T): T {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, `${name}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = create(() => randomBytes(24).toString('base64url'));
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return value;
}
