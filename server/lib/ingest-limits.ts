import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.ts';
import type { SourceCache } from './ingest.ts';

// Two limits on ingest, both @fastify/rate-limit counters (app.createRateLimit):
// - refusals by client address: a prober rotating source names (each name would have its own
//   per-source limit) or guessing signatures is counted by where it comes from; after 60 refused
//   deliveries (401) in a minute the address is turned away before anything is looked up or read;
// - the source's own rate (rateLimitPerMinute), counted only for authenticated deliveries, so that
//   neither its 429 nor its count can tell a prober that a source exists.

export const REFUSALS_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

const tooMany = (reply: FastifyReply, seconds: number, message: string) => {
  void reply.header('retry-after', String(Math.max(1, seconds)));
  return new HttpError(429, message, [{ pointer: '/', message }]);
};

export interface IngestLimits {
  /** onRequest: 429 for an address refused too often this minute. */
  turnAwayRefused(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** onResponse: counts a refusal (401) against the address. */
  countRefusal(request: FastifyRequest): Promise<void>;
  /** After authentication: 429 over the source's rate. */
  checkSourceRate(request: FastifyRequest, reply: FastifyReply, source: string): Promise<void>;
}

export function ingestLimits(app: FastifyInstance, sources: SourceCache): IngestLimits {
  const refusals = app.createRateLimit({
    timeWindow: WINDOW_MS,
    max: REFUSALS_PER_MINUTE,
    keyGenerator: (request) => `ingest-refused:${request.ip}`,
  });
  const bySource = app.createRateLimit({
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `ingest:${(request.params as { source?: string }).source ?? ''}`,
    max: async (request) => {
      const name = (request.params as { source?: string }).source ?? '';
      return (await sources.get(app.services.db, name).catch(() => undefined))?.rateLimitPerMinute ?? 600;
    },
  });
  return {
    async turnAwayRefused(request, reply) {
      const state = await refusals(request, { increment: false });
      if (state.isAllowed || state.remaining > 0) return;
      void reply.header('connection', 'close');
      throw tooMany(
        reply,
        state.ttlInSeconds,
        `too many refused deliveries from this address: try again in ${state.ttlInSeconds} s`,
      );
    },
    async countRefusal(request) {
      await refusals(request);
    },
    async checkSourceRate(request, reply, source) {
      const state = await bySource(request);
      if (state.isAllowed || !state.isExceeded) return;
      throw tooMany(reply, state.ttlInSeconds, `source ${source} takes at most ${state.max} deliveries a minute`);
    },
  };
}
