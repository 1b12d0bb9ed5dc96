// The HTTP API over the test services, built as the integration tests need it: a harness (worker on
// or off), the config the server would load in a temp data folder, a bearer token, and helpers that
// call it in process (inject) or over loopback (fetch). One place instead of a copy per test file.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.ts';
import type { ServiceParts } from '../../server/lib/app-services.ts';
import { loadConfig, type TrellisConfig } from '../../services/config.ts';
import { createToken, type TokenScope } from '../../store/tokens.ts';
import type { TestServices } from '../setup/test-stack.ts';
import { startHarness, type Harness } from './interpreter-harness.ts';
import { until, type UntilOptions } from './until.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiAppOptions {
  /** Names the token and the temp data folder, so a leftover row or folder says which test made it. */
  label: string;
  /** Passed to startHarness: `worker: false` for tests that start no runs, node services, codecs. */
  harness?: Parameters<typeof startHarness>[1];
  /** Listen on a free loopback port (for fetch, streaming and raw sockets); in-process inject otherwise. */
  listen?: boolean;
  /** Hand the test Weaviate to the server (memory routes, extraction that remembers). */
  weaviate?: boolean;
  /** More environment for loadConfig, e.g. TRELLIS_TRUSTED_AUTHSERV_IDS. */
  env?: Record<string, string>;
  /** The data folder, when the test reads or removes it itself; a fresh temp folder otherwise. */
  dataDir?: string;
  /** More parts for the app (memory, embedder, keyring), made once the harness's database is up. */
  parts?: (h: Harness) => ServiceParts | Promise<ServiceParts>;
  /** Scopes of the token (admin unless given). */
  scopes?: readonly TokenScope[];
}

export interface ApiApp {
  h: Harness;
  app: FastifyInstance;
  config: TrellisConfig;
  token: string;
  /** The bearer header of `token`, for inject calls that set their own options. */
  auth: { authorization: string };
  /** `http://127.0.0.1:<port>` when listening, '' otherwise. */
  base: string;
  /** A fetch to `base` with the bearer token (needs `listen`). */
  api: (url: string, init?: RequestInit) => Promise<Response>;
  /** An in-process request with the bearer token; `payload` is sent as JSON when given. */
  call: (method: HttpMethod, url: string, payload?: unknown) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The environment loadConfig reads to reach the test services. */
export function serviceEnv(services: TestServices, taskQueue: string, weaviate = false): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: services.temporal.address,
    TEMPORAL_NAMESPACE: services.temporal.namespace,
    DATABASE_URL: services.postgres.url,
    TRELLIS_TASK_QUEUE: taskQueue,
    ...(weaviate
      ? {
          WEAVIATE_URL: services.weaviate.url,
          WEAVIATE_API_KEY: services.weaviate.apiKey,
          WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
        }
      : {}),
  };
}

export async function startApiApp(services: TestServices, options: ApiAppOptions): Promise<ApiApp> {
  const h = await startHarness(services, options.harness);
  let app: FastifyInstance | undefined;
  try {
    const config = loadConfig({
      ...serviceEnv(services, h.taskQueue, options.weaviate),
      TRELLIS_DATA_DIR: options.dataDir ?? mkdtempSync(path.join(tmpdir(), `trellis-${slug(options.label)}-`)),
      ...options.env,
    });
    const parts = { db: h.db, temporal: h.client, registry: h.registry, ...(await options.parts?.(h)) };
    app = await buildApp({ config, parts, env: {} });
    let base = '';
    if (options.listen) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    } else {
      await app.ready();
    }
    const token = (await createToken(h.db, options.label, options.scopes)).plaintext;
    const auth = { authorization: `Bearer ${token}` };
    const built = app;
    return {
      h,
      app: built,
      config,
      token,
      auth,
      base,
      api: (url, init = {}) => fetch(`${base}${url}`, { ...init, headers: { ...auth, ...init.headers } }),
      call: (method, url, payload) =>
        built.inject({ method, url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) }),
      close: async () => {
        await built.close();
        await h.close();
      },
    };
  } catch (error) {
    // A half-built app must not leave the worker polling or the pool open.
    await app?.close();
    await h.close();
    throw error;
  }
}

/** Creates a workflow with the graph and publishes it; answers its id. */
export async function createPublished(call: ApiApp['call'], name: string, graph: unknown): Promise<string> {
  const created = await call('POST', '/api/workflows', { name, graph });
  if (created.statusCode !== 201) throw new Error(`creating ${name} answered ${created.statusCode}: ${created.body}`);
  const { workflow } = created.json<{ workflow: { id: string } }>();
  const published = await call('POST', `/api/workflows/${workflow.id}/publish`, {});
  if (published.statusCode !== 201)
    throw new Error(`publishing ${name} answered ${published.statusCode}: ${published.body}`);
  return workflow.id;
}

/** Waits (bounded) until the run is no longer running; answers its status. */
export function runFinished(call: ApiApp['call'], runId: string, options?: UntilOptions): Promise<string> {
  return until(
    `run ${runId} to finish`,
    async () => {
      const { run } = (await call('GET', `/api/runs/${encodeURIComponent(runId)}`)).json<{ run: { status: string } }>();
      return run.status === 'running' ? undefined : run.status;
    },
    options,
  );
}
