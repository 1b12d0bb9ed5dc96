import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoBuildProgress, readBuildRecord, writeBuildRecord } from '../../services/go-build-progress.ts';

// Lines as `go install -v` prints them: downloads first, then one import path per compiled package.
describe('GoBuildProgress', () => {
  it('says it is preparing, with the expected time left, before anything compiles', () => {
    const progress = new GoBuildProgress(1000, 720);
    expect(progress.describe(20)).toBe('20 s, preparing, about 12 min left');
    progress.line('go: downloading go.temporal.io/server v1.29.1');
    progress.line('go: downloading github.com/spf13/cobra v1.9.1');
    expect(progress.describe(60)).toBe('60 s, 2 modules downloaded, about 11 min left');
  });

  it('counts compiled packages, not errors or downloads, and estimates from the rate once a tenth is done', () => {
    const progress = new GoBuildProgress(1000, 720);
    progress.line('go: downloading github.com/spf13/cobra v1.9.1');
    for (let i = 0; i < 50; i++) progress.line(`github.com/example/pkg${i}`);
    progress.line('internal/abi');
    progress.line('# github.com/example/broken');
    progress.line('./x.go:3:2: undefined: y');
    expect(progress.compiled).toBe(51);
    // Under a tenth: the expected total minus the time spent.
    expect(progress.describe(120)).toBe('2 min, compiled 51 of ~1000 packages (5 %), about 10 min left');
    for (let i = 0; i < 449; i++) progress.line(`go.temporal.io/server/service/p${i}`);
    // Half done in 5 minutes: about 5 more.
    expect(progress.describe(300)).toBe('5 min, compiled 500 of ~1000 packages (50 %), about 5 min left');
    for (let i = 0; i < 500; i++) progress.line(`k8s.io/x/p${i}`);
    expect(progress.describe(600)).toBe('10 min, 1000 packages compiled, linking');
  });

  it('keeps the last build in the cache for the next estimate', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'trellis-go-cache-'));
    try {
      mkdirSync(path.join(cacheDir, 'go-bin'));
      expect(readBuildRecord(cacheDir, 'temporal')).toBeUndefined();
      const record = {
        version: 'v1.5.1',
        seconds: 745,
        packagesCompiled: 1290,
        goVersion: 'go1.26.8',
        cpus: 2,
        finishedAt: '2026-12-07T10:00:00.000Z',
      };
      writeBuildRecord(cacheDir, 'temporal', record);
      expect(readBuildRecord(cacheDir, 'temporal')).toEqual(record);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
