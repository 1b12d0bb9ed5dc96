import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayHistories } from '../../temporal/replay.ts';
import { quietTemporalRuntime } from '../support/interpreter-harness.ts';

const dir = path.resolve(import.meta.dirname, '../fixtures/histories');
const names = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort();
const fixtures = names.map(
  (name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { workflowId: string; history: unknown },
);

describe('replay of recorded histories', () => {
  it('replays every recorded shape with the current workflow code', async () => {
    quietTemporalRuntime();
    expect(fixtures.length).toBeGreaterThanOrEqual(11);
    // An agent's loop: model calls, an auto tool, an approval, an approved tool (agent-history.ts).
    expect(names).toContain('agent-tools.json');
    const results = await replayHistories(fixtures);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(fixtures.length);
  }, 120_000);

  it('catches a non-deterministic change to the workflow code', async () => {
    quietTemporalRuntime();
    const broken = path.resolve(import.meta.dirname, '../fixtures/nondeterministic/workflows.ts');
    const results = await replayHistories(fixtures.slice(0, 3), broken);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0]?.error).toMatch(/nondetermin/i);
  }, 120_000);
});
