import { tailOf, type ManagedProcess } from './child-process.ts';
import type { Log } from './service.ts';
import { writeSupervisorStatus, type ChildStatus } from './supervisor-status.ts';

export interface RestartPolicy {
  /** Wait before the first restart; each further crash in a row doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A child that stayed up this long counts as healthy again: its back-off starts over. */
  stableAfterMs: number;
  /** After this many crashes in a row the child is left down (the rest keeps running). */
  maxCrashesInARow: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashesInARow: 5,
};

interface Watched {
  name: string;
  /** Starts a new process on the same endpoint and resolves once it is ready. */
  start: () => Promise<ManagedProcess>;
  current?: ManagedProcess;
  startedAt: number;
  crashesInARow: number;
  timer?: NodeJS.Timeout;
  launching?: Promise<void>;
  status: ChildStatus;
}

/** Back-off before restart number `crash` of a series: 1 s, 2 s, 4 s … up to the cap. */
export function restartDelay(policy: RestartPolicy, crash: number): number {
  return Math.min(policy.initialDelayMs * 2 ** Math.max(0, crash - 1), policy.maxDelayMs);
}

/**
 * Keeps the children of `trellis up` running: a child that exits on its own is started again
 * after an exponential back-off, and left down after a crash loop, while everything else stays
 * up. Its view of the children goes to a status file that the server's health route reads.
 */
export class Supervisor {
  private readonly watched: Watched[] = [];
  private readonly policy: RestartPolicy;
  private stopping = false;

  private readonly options: { log: Log; statusFile?: string; policy?: Partial<RestartPolicy> };

  constructor(options: { log: Log; statusFile?: string; policy?: Partial<RestartPolicy> }) {
    this.options = options;
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.policy };
  }

  /** Watches a running child; `start` brings up a replacement when it dies. */
  watch(name: string, first: ManagedProcess, start: () => Promise<ManagedProcess>): void {
    const entry: Watched = {
      name,
      start,
      startedAt: Date.now(),
      crashesInARow: 0,
      status: { state: 'running', restarts: 0 },
    };
    this.watched.push(entry);
    this.adopt(entry, first);
  }

  status(): Record<string, ChildStatus> {
    return Object.fromEntries(this.watched.map((entry) => [entry.name, { ...entry.status }]));
  }

  /** Stops every child, the last watched first, and restarts nothing from then on. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.watched].reverse()) {
      clearTimeout(entry.timer);
      await entry.launching;
      await entry.current?.stop();
      entry.status = { ...entry.status, state: 'stopped', pid: undefined, nextRestartAt: undefined };
    }
    this.publish();
  }

  private adopt(entry: Watched, child: ManagedProcess): void {
    entry.current = child;
    entry.startedAt = Date.now();
    entry.status = { ...entry.status, state: 'running', pid: child.child.pid, nextRestartAt: undefined };
    this.publish();
    void child.exited.then((code) => {
      if (this.stopping || entry.current !== child) return;
      this.crashed(entry, String(code), tailOf(child.logFile));
    });
  }

  private crashed(entry: Watched, exit: string, logTail: string): void {
    const now = Date.now();
    entry.crashesInARow = now - entry.startedAt >= this.policy.stableAfterMs ? 1 : entry.crashesInARow + 1;
    entry.current = undefined;
    entry.status = { ...entry.status, pid: undefined, lastExit: exit, lastExitAt: new Date(now).toISOString() };
    const tail = logTail ? `; its log ends with:\n${logTail}` : '';
    if (entry.crashesInARow > this.policy.maxCrashesInARow) {
      entry.status = { ...entry.status, state: 'down', nextRestartAt: undefined };
      this.options.log(
        `${entry.name} exited (${exit}) ${entry.crashesInARow} times in a row: left down, the rest keeps running${tail}`,
      );
      this.publish();
      return;
    }
    const delay = restartDelay(this.policy, entry.crashesInARow);
    entry.status = { ...entry.status, state: 'restarting', nextRestartAt: new Date(now + delay).toISOString() };
    this.options.log(
      `${entry.name} exited unexpectedly (${exit}); restarting in ${(delay / 1000).toFixed(1)} s ` +
        `(crash ${entry.crashesInARow} of at most ${this.policy.maxCrashesInARow} in a row)${tail}`,
    );
    this.publish();
    entry.timer = setTimeout(() => {
      entry.launching = this.relaunch(entry).finally(() => (entry.launching = undefined));
    }, delay);
  }

  private async relaunch(entry: Watched): Promise<void> {
    if (this.stopping) return;
    entry.status = { ...entry.status, restarts: entry.status.restarts + 1 };
    entry.startedAt = Date.now();
    let child: ManagedProcess;
    try {
      child = await entry.start();
    } catch (error) {
      if (!this.stopping) this.crashed(entry, 'failed to start', (error as Error).message);
      return;
    }
    if (this.stopping) {
      await child.stop();
      return;
    }
    this.options.log(`${entry.name} restarted (pid ${child.child.pid}, restart ${entry.status.restarts})`);
    this.adopt(entry, child);
  }

  private publish(): void {
    if (!this.options.statusFile) return;
    try {
      writeSupervisorStatus(this.options.statusFile, {
        supervisorPid: process.pid,
        updatedAt: new Date().toISOString(),
        children: this.status(),
      });
    } catch (error) {
      this.options.log(`cannot write ${this.options.statusFile}: ${(error as Error).message}`);
    }
  }
}
