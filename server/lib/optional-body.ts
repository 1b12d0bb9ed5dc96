import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** preValidation for POSTs whose body has only optional fields: no body at all counts as `{}`. */
export function optionalBody(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.body === undefined || request.body === null) request.body = {};
  done();
}
