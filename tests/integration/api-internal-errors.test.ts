import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

// A server whose database is gone answers 500 with only a request id: no address, no driver error.
describe('internal errors', () => {
  const services = inject('services');
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(services, { worker: false });
  });
  afterAll(() => h.close());

  it('hides internals in a 5xx and says only the request id', async () => {
    const broken = await buildApp({
      config: loadConfig({
        TEMPORAL_ADDRESS: services.temporal.address,
        DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
      }),
      parts: { registry: h.registry, temporal: h.client },
      env: { TRELLIS_API_TOKEN: 'env-token' },
    });
    const response = await broken.inject({
      method: 'GET',
      url: '/api/workflows',
      headers: { authorization: 'Bearer env-token' },
    });
    await broken.close();
    expect(response.statusCode).toBe(500);
    const body = response.json<{ message: string; errors: unknown[] }>();
    expect(body.message).toMatch(/^internal error \(request [0-9a-f-]{36}\)$/);
    expect(body.errors).toEqual([]);
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/);
  });
});
