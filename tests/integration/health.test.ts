import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import type { HealthReport } from '../../services/health.ts';

describe('GET /api/health', () => {
  const services = inject('services');
  let app: FastifyInstance;

  beforeAll(async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      WEAVIATE_URL: services.weaviate.url,
      WEAVIATE_API_KEY: services.weaviate.apiKey,
      WEAVIATE_GRPC_ADDRESS: services.weaviate.grpcAddress,
      DATABASE_URL: services.postgres.url,
    });
    app = await buildApp({ config });
  });

  afterAll(() => app.close());

  it('reports every service reachable with its version and origin', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    const report = response.json<HealthReport>();
    expect(report.ok).toBe(true);
    expect(report.services.temporal).toMatchObject({ reachable: true, version: expect.stringMatching(/^1\.\d+/) });
    expect(report.services.weaviate).toMatchObject({ reachable: true, version: expect.stringMatching(/^1\.\d+/) });
    expect(report.services.postgres).toMatchObject({ reachable: true, version: expect.stringMatching(/PostgreSQL/) });
    expect(report.services.temporal.origin).toBe('env');
  });

  it('says which service is down, and answers 503', async () => {
    const broken = await buildApp({
      config: loadConfig({
        TEMPORAL_ADDRESS: services.temporal.address,
        WEAVIATE_URL: 'http://127.0.0.1:9',
        DATABASE_URL: services.postgres.url,
      }),
    });
    const response = await broken.inject({ method: 'GET', url: '/api/health' });
    await broken.close();
    expect(response.statusCode).toBe(503);
    const report = response.json<HealthReport>();
    expect(report.services.weaviate.reachable).toBe(false);
    expect(report.services.weaviate.error).toBeTruthy();
    expect(report.services.temporal.reachable).toBe(true);
  });
});
