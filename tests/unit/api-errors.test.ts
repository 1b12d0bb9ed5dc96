import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../schemas/ajv.ts';
import { HttpError, notFound } from '../../server/lib/http-errors.ts';
import { GraphRefusedError } from '../../server/lib/publish.ts';
import { toErrorBody } from '../../server/plugins/app/errors.ts';
import { EnvelopeError } from '../../security/envelope.ts';
import { isLoopback } from '../../server/start.ts';
import { isoWeek } from '../../store/metrics.ts';
import { sourceRouter } from '../../server/plugins/app/trigger-router.ts';

const asFastify = (error: Error, extra: Record<string, unknown> = {}) =>
  Object.assign(error, extra) as unknown as FastifyError;

describe('API error bodies', () => {
  it('names body fields by pointer and prefixes the other parts of a request', () => {
    const validation = [
      {
        instancePath: '/graph/nodes/2',
        keyword: 'required',
        params: { missingProperty: 'config' },
        message: "must have required property 'config'",
        schemaPath: '',
      },
    ];
    const body = toErrorBody(asFastify(new Error('bad'), { validation, validationContext: 'body' }), 'req-1');
    expect(body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      errors: [{ pointer: '/graph/nodes/2/config' }],
    });
    const query = toErrorBody(
      asFastify(new Error('bad'), {
        validation: [
          { instancePath: '/limit', keyword: 'type', params: {}, message: 'must be integer', schemaPath: '' },
        ],
        validationContext: 'querystring',
      }),
      'req-2',
    );
    expect(query.errors).toEqual([{ pointer: '/query/limit', message: 'must be integer' }]);
    expect(query.message).toMatch(/^query is invalid/);
  });

  it('keeps the status and fields of errors the API means to send', () => {
    expect(toErrorBody(asFastify(notFound('workflow', '/params/id')), 'r')).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'workflow does not exist',
      errors: [{ pointer: '/params/id', message: 'does not exist' }],
    });
    const invalid = new ValidationError('edited value', [{ pointer: '/value/text', message: 'must be string' }]);
    expect(toErrorBody(asFastify(invalid), 'r')).toMatchObject({
      statusCode: 400,
      errors: [{ pointer: '/value/text' }],
    });
    const graph = new GraphRefusedError([{ code: 'cycle', message: 'a cycle', nodeId: 'a' }]);
    expect(toErrorBody(asFastify(graph), 'r')).toMatchObject({
      statusCode: 422,
      errors: [{ code: 'cycle', nodeId: 'a' }],
    });
    expect(toErrorBody(asFastify(new HttpError(409, 'taken', [])), 'r').error).toBe('Conflict');
  });

  it('says nothing of a 5xx but its request id', () => {
    const body = toErrorBody(asFastify(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')), 'req-42');
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error (request req-42)',
      errors: [],
    });
  });

  it('tells the operator when a stored secret does not open with the keyring, naming no secret', () => {
    const error = new EnvelopeError(
      'the client key of c-123 does not open: sealed with key k9, which this keyring does not hold',
    );
    const body = toErrorBody(asFastify(error), 'req-7');
    expect(body.statusCode).toBe(500);
    expect(body.message).toMatch(/does not open with this server's keyring.*TRELLIS_KEYRING.*request req-7/);
    expect(body.message).not.toContain('c-123');
    expect(body.message).not.toContain('k9');
  });
});

describe('server helpers', () => {
  it('tells loopback addresses from others', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '192.168.1.4', '::', 'example.com'].map(isLoopback)).toEqual([false, false, false, false]);
  });

  it('numbers ISO weeks as PostgreSQL does, across year ends', () => {
    expect(isoWeek(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2026-03-02T23:59:59Z'))).toBe('2026-W10');
  });

  it('routes a source from a one-second cache, then asks again', async () => {
    let lookups = 0;
    const router = sourceRouter(
      () =>
        Promise.resolve(Array.from({ length: ++lookups }, () => ({ workflowId: 'w', version: 1, plan: {} as never }))),
      50,
    );
    const event = {} as never;
    expect(await router.route('a', event)).toHaveLength(1);
    expect(await router.route('a', event)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await router.route('a', event)).toHaveLength(2);
    expect(lookups).toBe(2);
  });
});
