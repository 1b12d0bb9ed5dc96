import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../store/db.ts';
import { createFirstToken } from '../../store/tokens.ts';

/** Where the CLI finds its token: the first token's only plaintext copy, mode 0600. */
export function cliTokenPath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'cli-token.json');
}

/**
 * Creates the installation's first API token when there has never been one, and writes it to
 * data/secrets/cli-token.json (0600) for the CLI. Returns the plaintext to print once.
 */
export async function ensureFirstToken(db: Db, dataDir: string): Promise<string | undefined> {
  const plaintext = await createFirstToken(db);
  if (!plaintext) return undefined;
  const file = cliTokenPath(dataDir);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ token: plaintext, createdAt: new Date().toISOString() }, null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return plaintext;
}
