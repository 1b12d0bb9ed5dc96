import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import { ControlError } from '../../../control/deps.ts';
import { fieldErrors, ValidationError, type FieldError } from '../../../schemas/ajv.ts';
import { EnvelopeError } from '../../../security/envelope.ts';
import { HttpError, ServiceUnavailableError } from '../../lib/http-errors.ts';
import { GraphRefusedError } from '../../lib/publish.ts';
import type { GraphError } from '../../../workflows/validate.ts';

// Body fields are named by their pointer into the body (`/graph/nodes/2/config`); the other
// parts of a request are prefixed (`/query/limit`, `/params/id`, `/headers/x-trellis-signature`).
declare module 'fastify' {
  interface FastifyContextConfig {
    /** The field a control-plane refusal is about, by status (`{ 404: '/params/id' }`), when its message names none. */
    controlErrors?: Partial<Record<400 | 404 | 409, string>>;
  }
}

const partPrefix: Record<string, string> = { body: '', querystring: '/query', params: '/params', headers: '/headers' };

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field errors, or for a graph that does not compile (422) the validator's GraphErrors. */
  errors: (FieldError | GraphError)[];
}

function body(statusCode: number, message: string, errors: (FieldError | GraphError)[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, errors };
}

/** A control-plane message that starts with a pointer (`/rules/0/id: …`) names its field itself. */
const leadingPointer = /^(\/[A-Za-z0-9_./@:-]*): /;

/** The one error handler: 4xx name the field and the reason; 5xx say nothing but the request id. */
export function toErrorBody(
  error: FastifyError,
  requestId: string,
  controlPointers: Partial<Record<number, string>> = {},
): ErrorBody {
  if (error.validation) {
    const prefix = partPrefix[error.validationContext ?? 'body'] ?? '';
    const errors = fieldErrors(error.validation as Parameters<typeof fieldErrors>[0], prefix);
    const what = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
    return body(400, `${what} is invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`, errors);
  }
  if (error instanceof ValidationError) return body(400, error.message, error.errors);
  if (error instanceof HttpError) return body(error.statusCode, error.message, error.errors);
  if (error instanceof GraphRefusedError) return body(422, error.message, error.graphErrors);
  if (error instanceof ControlError && error.statusCode >= 400 && error.statusCode < 500) {
    const pointer = leadingPointer.exec(error.message)?.[1] ?? controlPointers[error.statusCode] ?? '/';
    return body(error.statusCode, error.message, [{ pointer, message: error.message }]);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return body(status, error.message, [{ pointer: '/', message: error.message }]);
  // Not the caller's fault and not transient: the operator has to act, so the answer says on what
  // (never which secret, nor anything of it); what was stored before the failure is kept.
  if (error instanceof EnvelopeError)
    return body(
      500,
      `a stored secret does not open with this server's keyring: was the data directory or TRELLIS_KEYRING changed? (request ${requestId})`,
      [],
    );
  return body(500, `internal error (request ${requestId})`, []);
}

export const errorsPlugin = fp(
  (app: FastifyInstance, _options: unknown, done: () => void) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const payload = toErrorBody(error, request.id, request.routeOptions.config.controlErrors);
      if (error instanceof ServiceUnavailableError) {
        request.log.warn({ reqId: request.id }, payload.message);
        return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send(payload);
      }
      if (payload.statusCode >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
      else request.log.info({ reqId: request.id, statusCode: payload.statusCode }, payload.message);
      return reply.code(payload.statusCode).send(payload);
    });
    done();
  },
  { name: 'trellis-errors' },
);
