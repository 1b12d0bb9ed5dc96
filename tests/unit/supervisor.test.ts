import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, type ManagedProcess } from '../../services/child-process.ts';
import { restartDelay, Supervisor, DEFAULT_RESTART_POLICY } from '../../services/supervisor.ts';
import { readSupervisorStatus, SUPERVISOR_STATUS_ENV } from '../../services/supervisor-status.ts';

// Real child processes: one that exits at once (a crash loop) and one that stays up.
describe('Supervisor', () => {
  const folders: string[] = [];
  const supervisors: Supervisor[] = [];
  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) await supervisor.stop();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  function setup(policy: Partial<typeof DEFAULT_RESTART_POLICY>) {
    const runDir = mkdtempSync(path.join(tmpdir(), 'trellis-supervisor-'));
    folders.push(runDir);
    const lines: string[] = [];
    const statusFile = path.join(runDir, 'supervisor.json');
    const supervisor = new Supervisor({ log: (line) => lines.push(line), statusFile, policy });
    supervisors.push(supervisor);
    const node = (name: string, code: string) => () =>
      Promise.resolve(startProcess({ name, command: process.execPath, args: ['-e', code], runDir }));
    return { supervisor, lines, statusFile, node };
  }

  async function until<T>(what: string, probe: () => T | undefined, saw: () => unknown, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms; saw ${JSON.stringify(saw())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('doubles the back-off per crash in a row, up to the cap', () => {
    const policy = { ...DEFAULT_RESTART_POLICY, initialDelayMs: 1_000, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((crash) => restartDelay(policy, crash))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('restarts a crashing child, leaves it down after the crash-loop limit, and keeps the others running', async () => {
    const { supervisor, lines, statusFile, node } = setup({ initialDelayMs: 20, maxDelayMs: 100, maxCrashesInARow: 3 });
    const steady = node('steady', 'setInterval(() => {}, 1000)');
    const crashing = node('crashing', 'process.exit(7)');
    const steadyChild: ManagedProcess = await steady();
    supervisor.watch('steady', steadyChild, steady);
    supervisor.watch('crashing', await crashing(), crashing);

    const down = await until(
      'the crashing child left down',
      () => (supervisor.status().crashing?.state === 'down' ? supervisor.status().crashing : undefined),
      () => ({ status: supervisor.status(), lines }),
    );
    expect(down).toMatchObject({ restarts: 3, lastExit: '7' });
    expect(lines.filter((line) => line.startsWith('crashing exited unexpectedly (7); restarting in'))).toHaveLength(3);
    expect(lines.at(-1)).toContain('crashing exited (7) 4 times in a row: left down, the rest keeps running');
    expect(supervisor.status().steady).toMatchObject({ state: 'running', restarts: 0, pid: steadyChild.child.pid });
    expect(steadyChild.child.exitCode).toBeNull();
    // The server reads the same view from the status file.
    expect(readSupervisorStatus({ [SUPERVISOR_STATUS_ENV]: statusFile })?.children.crashing?.state).toBe('down');
  });

  it('starts a new process after a crash and stops everything on stop()', async () => {
    const { supervisor, node } = setup({ initialDelayMs: 20 });
    const steady = node('steady', 'setInterval(() => {}, 1000)');
    const first = await steady();
    supervisor.watch('steady', first, steady);
    first.child.kill('SIGKILL');
    const restarted = await until(
      'a new steady process',
      () => {
        const status = supervisor.status().steady;
        return status?.state === 'running' && status.pid !== first.child.pid ? status : undefined;
      },
      () => supervisor.status(),
    );
    expect(restarted).toMatchObject({ restarts: 1, lastExit: 'SIGKILL' });
    await supervisor.stop();
    expect(supervisor.status().steady?.state).toBe('stopped');
    expect(() => process.kill(restarted.pid ?? 0, 0)).toThrow();
  });
});
