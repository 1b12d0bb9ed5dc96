import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import type { HealthReport } from '../../services/health.ts';

const TOKEN = 'health-test-token';
const withToken = { authorization: `Bearer ${TOKEN}` };
type Detailed = HealthReport & { checks: { performed: number; cachedForMs: number } };

describe('GET /api/health', () => {
  const services = inject('services');
  let app: FastifyInstance;
  const configOf = (weaviateUrl: string, apiKey?: string) =>
    loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      WEAVIATE_URL: weaviateUrl,
      ...(apiKey ? { WEAVIATE_API_KEY: apiKey } : {}),
      WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
      DATABASE_URL: services.postgres.url,
    });

  beforeAll(async () => {
    app = await buildApp({
      config: configOf(services.weaviate.url, services.weaviate.apiKey),
      env: { TRELLIS_API_TOKEN: TOKEN },
    });
  });

  afterAll(() => app.close());

  it('tells an anonymous caller only whether all is well', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('reports every service reachable with its version and origin to a caller with a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health', headers: withToken });
    expect(response.statusCode).toBe(200);
    const report = response.json<Detailed>();
    expect(report.ok).toBe(true);
    expect(report.services.temporal).toMatchObject({ reachable: true, version: expect.stringMatching(/^1\.\d+/) });
    expect(report.services.weaviate).toMatchObject({ reachable: true, version: expect.stringMatching(/^1\.\d+/) });
    expect(report.services.postgres).toMatchObject({ reachable: true, version: expect.stringMatching(/PostgreSQL/) });
    expect(report.services.temporal.origin).toBe('env');
    expect(report.checks).toMatchObject({ performed: expect.any(Number), cachedForMs: 3000 });
  });

  it('refuses a wrong token with 401', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(response.statusCode).toBe(401);
    expect(JSON.stringify(response.json())).not.toContain('reachable');
  });

  describe('with Weaviate down', () => {
    let broken: FastifyInstance;
    beforeAll(async () => {
      broken = await buildApp({ config: configOf('http://127.0.0.1:9'), env: { TRELLIS_API_TOKEN: TOKEN } });
    });
    afterAll(() => broken.close());

    it('answers 503 and keeps the error text for callers with a token', async () => {
      const anonymous = await broken.inject({ method: 'GET', url: '/api/health' });
      expect(anonymous.statusCode).toBe(503);
      expect(anonymous.json()).toEqual({ ok: false });

      const response = await broken.inject({ method: 'GET', url: '/api/health', headers: withToken });
      expect(response.statusCode).toBe(503);
      const report = response.json<Detailed>();
      expect(report.services.weaviate.reachable).toBe(false);
      expect(report.services.weaviate.error).toBeTruthy();
      expect(report.services.temporal.reachable).toBe(true);
    });
  });

  it('gives the anonymous answer to a token it cannot check while the database is down', async () => {
    const noDatabase = await buildApp({
      config: loadConfig({
        TEMPORAL_ADDRESS: services.temporal.address,
        WEAVIATE_URL: services.weaviate.url,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none?sslmode=disable',
      }),
      env: {},
    });
    try {
      const response = await noDatabase.inject({
        method: 'GET',
        url: '/api/health',
        headers: { authorization: 'Bearer trl_a-stored-token-the-server-cannot-look-up' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ ok: false });
    } finally {
      await noDatabase.close();
    }
  });

  describe('under a burst of requests', () => {
    // A stand-in Weaviate that counts how often the server checks it.
    let stub: Server;
    let readyChecks = 0;
    let counted: FastifyInstance;
    beforeAll(async () => {
      stub = createServer((request, response) => {
        if (request.url === '/v1/.well-known/ready') readyChecks += 1;
        response.setHeader('content-type', 'application/json');
        response.end(request.url === '/v1/meta' ? JSON.stringify({ version: '1.39.0' }) : '{}');
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      const { port } = stub.address() as AddressInfo;
      counted = await buildApp({ config: configOf(`http://127.0.0.1:${port}`), env: { TRELLIS_API_TOKEN: TOKEN } });
    });
    afterAll(async () => {
      await counted.close();
      await new Promise((resolve) => stub.close(resolve));
    });

    it('checks each service at most once per few seconds, however many requests come', async () => {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          counted.inject({ method: 'GET', url: '/api/health', ...(i % 2 ? { headers: withToken } : {}) }),
        ),
      );
      expect(replies.map((reply) => reply.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
      expect(readyChecks).toBe(1);
      const detailed = (
        await counted.inject({ method: 'GET', url: '/api/health', headers: withToken })
      ).json<Detailed>();
      expect(detailed.checks.performed).toBe(1);
      expect(readyChecks).toBe(1);

      // One after the other: a new check only once the last one is older than the cache's few seconds.
      const started = Date.now();
      for (let i = 0; i < 50; i++) await counted.inject({ method: 'GET', url: '/api/health' });
      expect(readyChecks).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / detailed.checks.cachedForMs));
    });
  });
});
