import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startProcess, waitFor, type ManagedProcess } from '../../services/child-process.ts';
import { ensureEditorBuilt } from '../../services/editor-build.ts';
import { cachedBinaryPath, temporalCli } from '../../services/go-binary.ts';
import type { RunningService } from '../../services/service.ts';
import { startServicesStaged, type StagedStack } from '../../services/staged-stack.ts';
import type { TemporalEndpoint } from '../../services/temporal.ts';
import { cliTokenPath } from '../../server/lib/first-token.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

// Issue 19: `trellis up` opens the editor, the gallery, the API docs and /api/health while Temporal
// is still being built or started, and what needs Temporal answers 503 with a Retry-After meanwhile.
// Temporal here is held back by a gate: a wrapper around the cached binary that waits for a file.

const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');

describe('trellis up while Temporal is still coming', () => {
  const services = inject('services');
  let config: Awaited<ReturnType<typeof isolatedConfig>>;
  let stack: StagedStack | undefined;
  let server: ManagedProcess | undefined;
  let base = '';
  let token = '';
  let gate = '';
  const savedBin = process.env.TRELLIS_TEMPORAL_BIN;
  const logs: string[] = [];

  const api = (url: string, init: RequestInit = {}) =>
    fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

  beforeAll(async () => {
    await ensureEditorBuilt((line) => logs.push(line));
    config = await isolatedConfig(
      {
        ...process.env,
        TEMPORAL_ADDRESS: '',
        DATABASE_URL: '',
        // Weaviate is the tests' own: this test is about Temporal, and the machine is small.
        WEAVIATE_URL: services.weaviate.url,
        WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
        WEAVIATE_API_KEY: services.weaviate.apiKey ?? '',
      },
      'trellis-up-building-',
    );
    const real = cachedBinaryPath(config.cacheDir, temporalCli);
    expect(existsSync(real), `the cached Temporal CLI at ${real}`).toBe(true);
    gate = path.join(config.dataDir, 'temporal-may-start');
    const wrapper = path.join(config.dataDir, 'slow-temporal.sh');
    // Waits for the gate (at most two minutes), then is the real CLI.
    writeFileSync(
      wrapper,
      `#!/bin/sh\ni=0\nwhile [ ! -e '${gate}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done\nexec '${real}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    process.env.TRELLIS_TEMPORAL_BIN = wrapper;
  }, 300_000);

  afterAll(async () => {
    if (savedBin === undefined) delete process.env.TRELLIS_TEMPORAL_BIN;
    else process.env.TRELLIS_TEMPORAL_BIN = savedBin;
    if (gate && !existsSync(gate)) writeFileSync(gate, '');
    await server?.stop();
    await stack?.temporal.catch(() => undefined);
    await stack?.stop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  }, 60_000);

  it('serves the editor, docs and health before Temporal is up, answers 503 for runs, then runs normally', async () => {
    stack = await startServicesStaged(config, (line) => logs.push(line));
    let temporal: RunningService<TemporalEndpoint> | undefined;
    void stack.temporal.then((running) => (temporal = running)).catch(() => {});
    const env = {
      ...process.env,
      ...stack.env,
      TRELLIS_DATA_DIR: config.dataDir,
      TRELLIS_PORT: String(config.port),
      TRELLIS_INSTALL_TEMPLATES: 'true',
    };
    server = startProcess({
      name: 'server',
      command: process.execPath,
      args: [cli, 'server'],
      env,
      runDir: path.join(config.dataDir, 'run'),
    });
    base = `http://127.0.0.1:${config.port}`;
    const serverLog = () => {
      const file = path.join(config.dataDir, 'run', 'server.log');
      return existsSync(file) ? readFileSync(file, 'utf8').slice(-3000) : '(no server log)';
    };
    await waitFor(
      'the server',
      async () => ((await fetch(`${base}/api/health`).catch(() => undefined))?.status ? true : undefined),
      {
        timeoutMs: 90_000,
        intervalMs: 250,
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${serverLog()}`);
    });
    token = (JSON.parse(readFileSync(cliTokenPath(config.dataDir), 'utf8')) as { token: string }).token;

    // Temporal is held at the gate: everything below answers without it.
    expect(temporal).toBeUndefined();
    const editor = await fetch(`${base}/`);
    expect(editor.status).toBe(200);
    expect(await editor.text()).toMatch(/<div id="root">|<html/i);
    expect((await fetch(`${base}/api/docs`, { redirect: 'follow' })).status).toBe(200);
    expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);
    const templates = await api('/api/templates');
    expect(templates.status, await templates.clone().text()).toBe(200);

    const health = await api('/api/health');
    expect(health.status).toBe(503);
    const report = (await health.json()) as {
      services: Record<string, { reachable: boolean; startup?: string; error?: string }>;
    };
    expect(report.services.postgres?.reachable).toBe(true);
    expect(report.services.temporal).toMatchObject({ reachable: false, startup: 'starting' });
    expect(report.services.temporal?.error).toMatch(/Temporal is starting/);

    const runs = await api('/api/runs');
    expect(runs.status).toBe(503);
    expect(Number(runs.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await runs.json()) as { message: string }).message).toMatch(/Temporal is starting/);
    expect(temporal, 'Temporal must still be held at the gate').toBeUndefined();

    // Temporal may start now; once it answers, the same request answers normally.
    writeFileSync(gate, '');
    const running = await Promise.race([
      stack.temporal,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`Temporal did not start in 120 s:\n${logs.join('\n')}`)), 120_000),
      ),
    ]);
    expect(running.endpoint.address).toBe(`127.0.0.1:${config.temporal.port}`);
    const after = await waitFor(
      'the run list once Temporal answers',
      async () => {
        const response = await api('/api/runs');
        return response.status === 200 ? response : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(after.status).toBe(200);
    // Health is cached for a few seconds: asked until it has seen Temporal.
    const healthy = await waitFor(
      'the health report to show Temporal up',
      async () => {
        const body = (await (await api('/api/health')).json()) as {
          services: Record<string, { reachable: boolean; startup?: string }>;
        };
        return body.services.temporal?.reachable ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(healthy.services.temporal?.startup).toBeUndefined();
  }, 300_000);
});
