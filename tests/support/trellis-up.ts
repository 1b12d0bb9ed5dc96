import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cliTokenPath } from '../../server/lib/first-token.ts';
import { killOrphans } from '../../services/child-process.ts';
import { defaultCacheDir } from '../../services/config.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SUPERVISED = ['temporal', 'weaviate', 'pglite', 'mailpit', 'worker', 'server'];

/** `./trellis up` on its own data folder and free ports, as an operator starts it. */
export interface UpProcess {
  base: string;
  dataDir: string;
  runDir: string;
  /** What `trellis up` printed so far (stdout and stderr). */
  output(): string;
  /** The pid in run/<name>.pid, or undefined while that process is not running. */
  pid(name: string): number | undefined;
  token(): string;
  /** The tail of run/<name>.log, for failure messages. */
  logTail(name: string, lines?: number): string;
  close(): Promise<void>;
}

/** Polls until `probe` returns a value; fails after `timeoutMs` naming what it waited for and what it saw. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  saw: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${what}: not after ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError})` : ''}\n${saw()}`,
  );
}

export async function startUp(extraEnv: Record<string, string> = {}): Promise<UpProcess> {
  const config = await isolatedConfig({}, 'trellis-up-');
  const { dataDir } = config;
  const runDir = path.join(dataDir, 'run');
  // Only what an operator's shell has: no DATABASE_URL / TEMPORAL_ADDRESS / WEAVIATE_URL, so every service is local.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TRELLIS_CACHE_DIR: defaultCacheDir(),
    TRELLIS_SKIP_INSTALL: '1',
    TRELLIS_DATA_DIR: dataDir,
    TRELLIS_PORT: String(config.port),
    TRELLIS_TEMPORAL_PORT: String(config.temporal.port),
    TRELLIS_TEMPORAL_UI_PORT: String(config.temporal.uiPort),
    TRELLIS_WEAVIATE_PORT: String(config.weaviate.httpPort),
    TRELLIS_WEAVIATE_GRPC_PORT: String(config.weaviate.grpcPort),
    TRELLIS_WEAVIATE_GOSSIP_PORT: String(config.weaviate.gossipPort),
    TRELLIS_WEAVIATE_DATA_PORT: String(config.weaviate.dataPort),
    TRELLIS_WEAVIATE_RAFT_PORT: String(config.weaviate.raftPort),
    TRELLIS_WEAVIATE_RAFT_RPC_PORT: String(config.weaviate.raftRpcPort),
    TRELLIS_PGLITE_PORT: String(config.postgres.pglitePort),
    TRELLIS_MAILPIT_SMTP_PORT: String(config.mailpit.smtpPort),
    TRELLIS_MAILPIT_PORT: String(config.mailpit.webPort),
    ...extraEnv,
  };
  const chunks: string[] = [];
  const up: ChildProcess = spawn(path.join(root, 'trellis'), ['up'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  up.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  up.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => up.once('exit', () => resolve()));

  const output = () => chunks.join('').slice(-6_000);
  const logTail = (name: string, lines = 20) => {
    const file = path.join(runDir, `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
  };
  const pid = (name: string) => {
    const file = path.join(runDir, `${name}.pid`);
    if (!existsSync(file)) return undefined;
    const value = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const close = async () => {
    if (up.exitCode === null && up.signalCode === null) {
      up.kill('SIGTERM');
      const timer = setTimeout(() => up.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    // A supervisor that had to be killed leaves its children: the pid files name them.
    killOrphans(runDir, SUPERVISED);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${config.port}`;
  const handle: UpProcess = {
    base,
    dataDir,
    runDir,
    output,
    pid,
    logTail,
    token: () => (JSON.parse(readFileSync(cliTokenPath(dataDir), 'utf8')) as { token: string }).token,
    close,
  };
  try {
    // The first start may build the editor (Vite) before the services come up.
    const answer = await eventually(
      '`trellis up` to answer /api/health with 200',
      async () => {
        if (up.exitCode !== null) return `exited with ${up.exitCode}`;
        return (await fetch(`${base}/api/health`)).ok ? 'ok' : undefined;
      },
      480_000,
      output,
    );
    if (answer !== 'ok') throw new Error(`trellis up ${answer} before it was ready:\n${output()}`);
    await eventually(
      'the worker to poll its task queue',
      () => Promise.resolve(logTail('worker', 200).includes('worker polling') ? true : undefined),
      120_000,
      () => logTail('worker'),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return handle;
}
