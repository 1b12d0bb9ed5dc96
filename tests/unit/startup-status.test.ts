import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoBuildProgress } from '../../services/go-build-progress.ts';
import {
  notYetUp,
  readStartupStatus,
  retryAfterSeconds,
  STARTUP_STATUS_ENV,
  startupLabel,
  startupMessage,
  writeStartupStatus,
} from '../../services/startup-status.ts';

// What `trellis up` tells the server while Temporal and Weaviate are still building or starting.
describe('startup status', () => {
  it('estimates a build as describe() says it, for the API and the health panel', () => {
    const progress = new GoBuildProgress(1000, 720);
    expect(progress.estimate(120)).toEqual({ percent: 0, leftSeconds: 600 });
    for (let i = 0; i < 500; i++) progress.line(`go.temporal.io/server/service/p${i}`);
    expect(progress.estimate(300)).toEqual({ percent: 50, leftSeconds: 300 });
  });

  it('says building (N %) with the time left, starting, or failed, and when to ask again', () => {
    const building = { state: 'building' as const, percent: 49, leftSeconds: 370 };
    expect(startupLabel(building)).toBe('building (49 %)');
    expect(startupMessage('temporal', building)).toBe('Temporal is still being built: about 6 min left');
    expect(retryAfterSeconds(building)).toBe(300);
    expect(retryAfterSeconds({ state: 'building', percent: 99, leftSeconds: 1 })).toBe(5);
    expect(startupLabel({ state: 'starting' })).toBe('starting');
    expect(startupMessage('weaviate', { state: 'starting' })).toBe('Weaviate is starting');
    expect(startupMessage('weaviate', { state: 'failed', error: 'port taken' })).toBe(
      'Weaviate failed to start: port taken',
    );
  });

  it('reads the file up writes; a ready service, or no file at all, is not "not yet up"', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-startup-'));
    try {
      const file = path.join(dir, 'startup.json');
      const env = { [STARTUP_STATUS_ENV]: file };
      expect(readStartupStatus({ [STARTUP_STATUS_ENV]: path.join(dir, 'none.json') })).toBeUndefined();
      writeStartupStatus(file, { temporal: { state: 'building', percent: 3 }, weaviate: { state: 'ready' } });
      expect(notYetUp('temporal', env)).toEqual({ state: 'building', percent: 3 });
      expect(notYetUp('weaviate', env)).toBeUndefined();
      expect(notYetUp('temporal', {})).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
