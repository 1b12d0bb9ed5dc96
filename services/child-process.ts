import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Folder for `<name>.log` and `<name>.pid`. */
  runDir: string;
  /** Open an IPC channel (used by Node children to say they are ready). */
  ipc?: boolean;
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) when the process ends, for whatever reason. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after the grace period. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a service process in its own process group, so that Ctrl-C reaches only the
 * supervisor, which then stops services in order. Output goes to a log file; a pid file
 * lets the next start clean up after a supervisor that was killed.
 */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  mkdirSync(spec.runDir, { recursive: true });
  const logFile = path.join(spec.runDir, `${spec.name}.log`);
  const pidFile = path.join(spec.runDir, `${spec.name}.pid`);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`);
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n${spec.command}\n`);

  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      rmSync(pidFile, { force: true });
      log.end(`--- exited with ${code ?? signal}\n`);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      log.end(`--- failed to start: ${error.message}\n`);
      resolve(`error: ${error.message}`);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return { name: spec.name, child, logFile, exited, stop };
}

/** Kills service processes left behind by a supervisor that died (their pid files survive it). */
export function killOrphans(runDir: string, names: string[]): string[] {
  const killed: string[] = [];
  for (const name of names) {
    const pidFile = path.join(runDir, `${name}.pid`);
    if (!existsSync(pidFile)) continue;
    const [pidText, command] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidText);
    if (Number.isInteger(pid) && pid > 0 && isSameProgram(pid, command ?? '')) {
      try {
        process.kill(-pid, 'SIGKILL');
        killed.push(`${name} (pid ${pid})`);
      } catch {
        // already gone
      }
    }
    rmSync(pidFile, { force: true });
  }
  return killed;
}

function isSameProgram(pid: number, command: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return command !== '' && cmdline.includes(path.basename(command));
  } catch {
    return false;
  }
}

/** Last lines of a log file, for error messages when a service fails to start. */
export function tailOf(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Waits until a just-started service answers `probe`; if it exits or never answers, stops it and
 * fails with the end of its log, so a failed start says why.
 */
export async function untilReady(
  child: ManagedProcess,
  what: string,
  probe: () => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<void> {
  try {
    await waitFor(what, probe, { timeoutMs, until: child.exited });
  } catch (error) {
    await child.stop();
    throw new Error(`${(error as Error).message}\n${tailOf(child.logFile)}`, { cause: error });
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  {
    timeoutMs = 60_000,
    intervalMs = 100,
    until,
  }: { timeoutMs?: number; intervalMs?: number; until?: Promise<unknown> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void until?.then(() => (ended = true));
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (ended) throw new Error(`${what}: the process exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
