import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../services/config.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('./trellis launcher', () => {
  it('runs the CLI on Node >= 22 when the Node on PATH is older', async () => {
    // A PATH whose `node` says it is Node 20, as on Debian 12.
    const fakeBin = mkdtempSync(path.join(tmpdir(), 'trellis-old-node-'));
    writeFileSync(
      path.join(fakeBin, 'node'),
      '#!/bin/sh\nif [ "$1" = "-p" ]; then echo 20; exit 0; fi\necho "old node must not run the CLI" >&2; exit 9\n',
    );
    chmodSync(path.join(fakeBin, 'node'), 0o755);
    try {
      const { stdout } = await run(path.join(root, 'trellis'), ['--version'], {
        env: {
          PATH: `${fakeBin}:/usr/local/bin:/usr/bin:/bin`,
          HOME: process.env.HOME,
          TRELLIS_CACHE_DIR: defaultCacheDir(),
          TRELLIS_SKIP_INSTALL: '1',
        },
        timeout: 120_000,
      });
      const [, major] = /\(node v(\d+)\./.exec(stdout) ?? [];
      expect(Number(major)).toBeGreaterThanOrEqual(22);
    } finally {
      rmSync(fakeBin, { recursive: true, force: true });
    }
  }, 150_000);
});
