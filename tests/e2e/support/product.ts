// Starts the real product for end-to-end tests: the editor built by Vite, a Trellis server and a
// Trellis worker (`node bin/trellis.ts server|worker`) against the test services, on free ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyringPath, loadKeyring } from '../../../security/keyring.ts';
import { freePort } from '../../../services/ports.ts';
import type { TestServices } from '../../setup/test-stack.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Builds editor/dist the way `npm run build:editor` does; the server serves that folder. */
export function buildEditor(): void {
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'editor/vite.config.ts'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (result.status !== 0) throw new Error(`editor build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface Product {
  baseUrl: string;
  token: string;
  temporalUiUrl: string;
  /** Routes the editor needs that the server does not answer (404 "No route"). */
  missingRoutes: string[];
  /** What the server and worker printed, for failure messages. */
  logs(): string;
  api<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The routes the editor calls, probed so that tests can say which are missing. */
const editorRoutes: [string, string, unknown?][] = [
  ['GET', '/api/node-types'],
  ['GET', '/api/workflows'],
  ['POST', '/api/workflows', {}],
  ['GET', '/api/workflows/probe-none'],
  ['PUT', '/api/workflows/probe-none', {}],
  ['POST', '/api/workflows/validate', {}],
  ['POST', '/api/workflows/probe-none/publish', {}],
  ['GET', '/api/workflows/probe-none/versions'],
  ['GET', '/api/workflows/probe-none/versions/1'],
  ['POST', '/api/workflows/import', {}],
  ['POST', '/api/workflows/probe-none/runs', {}],
  ['GET', '/api/runs'],
  ['GET', '/api/runs/probe-none'],
  ['GET', '/api/runs/probe-none/ledger'],
  ['POST', '/api/runs/probe-none/replay', {}],
  ['POST', '/api/runs/probe-none/rerun', {}],
  ['GET', '/api/runs/probe-none/diff?against=probe-none'],
  ['GET', '/api/reviews?state=pending'],
  ['POST', '/api/reviews/probe-none/decision', {}],
  ['GET', '/api/templates'],
  ['GET', '/api/metrics'],
  ['GET', '/api/clients?limit=500'],
  ['GET', '/api/routing/rules'],
  ['GET', '/api/routing/rule-sets'],
  ['GET', '/api/routing/rule-sets/1'],
  ['POST', '/api/routing/rule-sets', {}],
  ['GET', '/api/routing/routings'],
  ['GET', '/api/routing/suggestions'],
  ['POST', '/api/routing/suggestions/probe-none/accept', {}],
  ['POST', '/api/routing/suggestions/probe-none/dismiss', {}],
  ['GET', '/api/agents'],
  ['PATCH', '/api/agents/probe-none@1', {}],
  ['GET', '/api/canaries'],
  ['POST', '/api/canaries', {}],
  ['GET', '/api/canaries/probe-none'],
  ['POST', '/api/canaries/probe-none/promote', {}],
  ['GET', '/api/proposals'],
  ['POST', '/api/workflows/probe-none/proposals', {}],
  ['POST', '/api/proposals/probe-none/canary', {}],
  ['POST', '/api/proposals/probe-none/dismiss', {}],
];

function collect(child: ChildProcess, name: string, sink: string[]): void {
  const add = (chunk: Buffer) => {
    sink.push(`[${name}] ${chunk.toString()}`);
    if (sink.length > 400) sink.splice(0, sink.length - 400);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Each child leads its own process group; signal only that group, by its pid.
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logs: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms:\n${logs()}`);
}

/** The test run's keyring (created on first use), as TRELLIS_KEYRING takes it. */
function sharedKeyring(dataDir: string): string {
  loadKeyring(dataDir, {});
  return readFileSync(keyringPath(dataDir), 'utf8');
}

/** `env`: more settings for the server and worker (a model provider stub, for instance). */
export async function startProduct(services: TestServices, extraEnv: NodeJS.ProcessEnv = {}): Promise<Product> {
  const port = await freePort();
  const token = `e2e-${randomBytes(18).toString('base64url')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-e2e-'));
  const temporalUiUrl = 'http://127.0.0.1:8233';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TRELLIS_HOST: '127.0.0.1',
    TRELLIS_PORT: String(port),
    TRELLIS_DATA_DIR: dataDir,
    TRELLIS_API_TOKEN: token,
    TRELLIS_TASK_QUEUE: `e2e-${randomUUID()}`,
    TRELLIS_LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: services.temporal.address,
    TEMPORAL_NAMESPACE: services.temporal.namespace,
    TEMPORAL_UI_URL: temporalUiUrl,
    WEAVIATE_URL: services.weaviate.url,
    WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
    WEAVIATE_API_KEY: services.weaviate.apiKey ?? '',
    DATABASE_URL: services.postgres.url,
    TRELLIS_POSTGRES_EMBEDDED: String(services.postgres.embedded),
    // One installation: the shared database's sealed client keys open only with the keyring the
    // other suites' servers and workers use (the services' data folder's).
    TRELLIS_KEYRING: sharedKeyring(services.dataDir),
    ...extraEnv,
  };
  const output: string[] = [];
  const logs = () => output.join('').slice(-12_000);
  const cli = path.join(repoRoot, 'bin/trellis.ts');
  const start = (command: string) => {
    const child = spawn(process.execPath, [cli, command], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    collect(child, command, output);
    return child;
  };
  const server = start('server');
  const worker = start('worker');
  const baseUrl = `http://127.0.0.1:${port}`;

  const api = async <T>(method: string, route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const close = async () => {
    await Promise.all([stop(server), stop(worker)]);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitFor('the Trellis server', async () => (await fetch(`${baseUrl}/api/health`)).status < 500, 60_000, logs);
    await waitFor(
      'the Trellis worker',
      () => Promise.resolve(output.some((line) => line.includes('worker polling'))),
      60_000,
      logs,
    );
  } catch (error) {
    await close();
    throw error;
  }
  const missingRoutes: string[] = [];
  for (const [method, route, body] of editorRoutes) {
    const reply = await api<{ message?: string }>(method, route, body).catch(() => ({
      status: 0,
      body: { message: '' },
    }));
    if (reply.status === 404 && reply.body?.message?.startsWith('No route')) missingRoutes.push(`${method} ${route}`);
  }
  return { baseUrl, token, temporalUiUrl, missingRoutes, logs, api, close };
}
