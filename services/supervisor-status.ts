import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** What the supervisor of `trellis up` knows about one of its children. */
export interface ChildStatus {
  /** `restarting`: it crashed and a new one starts after a back-off; `down`: given up after a crash loop. */
  state: 'running' | 'restarting' | 'down' | 'stopped';
  pid?: number;
  /** How many times a new process was started after the first one. */
  restarts: number;
  /** Exit code or signal of the last crash. */
  lastExit?: string;
  lastExitAt?: string;
  nextRestartAt?: string;
}

export interface SupervisorStatus {
  supervisorPid: number;
  updatedAt: string;
  children: Record<string, ChildStatus>;
}

/** The environment variable that tells the server where `trellis up` writes its status. */
export const SUPERVISOR_STATUS_ENV = 'TRELLIS_SUPERVISOR_STATUS';

/** Written whole, then renamed, so a reader never sees half a file. */
export function writeSupervisorStatus(file: string, status: SupervisorStatus): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(staging, file);
}

/** The status `trellis up` wrote, or undefined when the server runs without a supervisor. */
export function readSupervisorStatus(env: NodeJS.ProcessEnv = process.env): SupervisorStatus | undefined {
  const file = env[SUPERVISOR_STATUS_ENV];
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SupervisorStatus;
  } catch {
    return undefined;
  }
}
