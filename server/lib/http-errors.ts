import type { FieldError } from '../../schemas/ajv.ts';

/** A 4xx the API means to send: its status, a message for people, and the fields at fault. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly errors: FieldError[];
  constructor(statusCode: number, message: string, errors: FieldError[] = []) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.errors = errors;
  }
}

export const notFound = (what: string, pointer: string): HttpError =>
  new HttpError(404, `${what} does not exist`, [{ pointer, message: 'does not exist' }]);

export const badRequest = (message: string, pointer = '/'): HttpError =>
  new HttpError(400, message, [{ pointer, message }]);

export const conflict = (message: string, pointer = '/'): HttpError =>
  new HttpError(409, message, [{ pointer, message }]);

export const unauthorized = (message: string, pointer = '/headers/authorization'): HttpError =>
  new HttpError(401, message, [{ pointer, message }]);

export const forbidden = (message: string, pointer = '/headers/authorization'): HttpError =>
  new HttpError(403, message, [{ pointer, message }]);

/** A service the route needs is unreachable: 503 with the reason, and Retry-After (set by the error handler). */
export class ServiceUnavailableError extends HttpError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, pointer = '/') {
    super(503, message, [{ pointer, message }]);
    this.name = 'ServiceUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
