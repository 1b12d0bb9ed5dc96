// The editor's form validators, compiled by the server so the page never evaluates code: the
// module served must validate like Ajv does, with Ajv's messages, using only the runtime helpers
// the editor's bundle hands it (editor/src/ui/form-validators.ts).
import { createPrecompiledValidator, type ValidatorFunctions } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiApp, type ApiApp } from '../support/api-app.ts';

// The runtime helpers by the names Ajv's standalone code asks for (the editor maps the same names
// to its bundled copies; tests/e2e run that path in Chromium).
const requireRuntime = createRequire(import.meta.url);
const runtimeNames = new Set([
  'ajv/dist/runtime/equal',
  'ajv/dist/runtime/ucs2length',
  'ajv/dist/runtime/uri',
  'ajv-formats/dist/formats',
]);
const runtime = (name: string): unknown => {
  if (!runtimeNames.has(name)) throw new Error(`the module asked for ${name}, which the editor does not provide`);
  return requireRuntime(name);
};

const schema = {
  type: 'object',
  required: ['subject', 'timeoutMinutes'],
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: 10 },
    timeoutMinutes: { type: 'integer', minimum: 1 },
    email: { type: 'string', format: 'email' },
    due: { type: 'string', format: 'date-time' },
    channel: { oneOf: [{ const: 'mail' }, { type: 'object', properties: { url: { type: 'string', format: 'uri' } } }] },
    tags: { type: 'array', uniqueItems: true, items: { enum: [{ a: 1 }, 'b'] } },
  },
};

describe('form validators compiled by the server', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let app: FastifyInstance;
  let read: { authorization: string };
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-form-validators-'));

  beforeAll(async () => {
    server = await startApiApp(services, {
      label: 'form validators',
      harness: { worker: false },
      dataDir: dir,
      scopes: ['read'],
    });
    ({ app, auth: read } = server);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles a schema for a read token and serves a module that validates with Ajv’s messages', async () => {
    const compiled = await app.inject({
      method: 'POST',
      url: '/api/form-validators',
      headers: read,
      payload: { schema },
    });
    expect(compiled.statusCode, compiled.body).toBe(201);
    const { url } = compiled.json<{ url: string }>();
    expect(url).toMatch(/^\/api\/form-validators\/[0-9a-f]{64}\.js$/);
    // The same schema gets the same URL (the browser caches the module).
    const again = await app.inject({ method: 'POST', url: '/api/form-validators', headers: read, payload: { schema } });
    expect(again.json<{ url: string }>().url).toBe(url);

    const served = await app.inject({ method: 'GET', url, headers: read });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^text\/javascript/);
    expect(served.body).not.toMatch(/new Function|eval\(/);
    const file = path.join(dir, 'validator.mjs');
    writeFileSync(file, served.body);
    const loaded = (await import(pathToFileURL(file).href)) as {
      default: (require: (name: string) => unknown) => ValidatorFunctions;
    };
    const validator = createPrecompiledValidator(loaded.default(runtime), schema as RJSFSchema);

    const good = { subject: 'Hi', timeoutMinutes: 5, email: 'a@b.example', due: '2026-12-07T10:00:00Z', tags: ['b'] };
    expect(validator.validateFormData(good, schema as RJSFSchema).errors).toEqual([]);
    const bad = validator.rawValidation<{ instancePath: string; message: string }>(schema as RJSFSchema, {
      subject: '',
      timeoutMinutes: 0,
      email: 'nope',
      due: 'tomorrow',
      tags: [{ a: 1 }, { a: 1 }],
    });
    const messages = (bad.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '/subject must NOT have fewer than 1 characters',
        '/timeoutMinutes must be >= 1',
        '/email must match format "email"',
        '/due must match format "date-time"',
      ]),
    );
    expect(messages.some((m) => m.startsWith('/tags must NOT have duplicate items'))).toBe(true);
  });

  it('refuses a schema that does not compile, naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/form-validators',
      headers: read,
      payload: { schema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/schema');
  });

  it('answers 404 for a module it does not hold', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/form-validators/${'0'.repeat(64)}.js`,
      headers: read,
    });
    expect(response.statusCode).toBe(404);
  });
});
