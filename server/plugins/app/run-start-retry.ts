import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startPendingRuns } from '../../lib/run-start-outbox.ts';

/** How often pending runs (deferred while Temporal was unreachable) are tried again; TRELLIS_RUN_RETRY_MS. */
export const RUN_RETRY_MS = 5_000;

/**
 * The background loop that starts the runs ingest deferred while Temporal was unreachable
 * (server/lib/run-start-outbox.ts): from the moment the server is ready until it closes.
 */
export const runStartRetryPlugin = fp(
  (app: FastifyInstance, { intervalMs = RUN_RETRY_MS }: { intervalMs?: number }, done: () => void) => {
    let timer: NodeJS.Timeout | undefined;
    let closing = false;
    let pass: Promise<unknown> = Promise.resolve();
    const context = {
      db: app.services.db,
      temporal: () => app.services.temporal(),
      taskQueue: app.trellisConfig.temporal.taskQueue,
      control: (options: { memory: boolean }) => app.control.deps(options),
      warn: (message: string) => app.log.warn(message),
    };
    const tick = () => {
      pass = startPendingRuns(context)
        .then((started) => {
          if (started > 0) app.log.info(`started ${started} pending run(s) now that Temporal answers`);
        })
        .catch((error: unknown) => app.log.warn({ err: error }, 'pending runs could not be read'))
        .finally(() => {
          if (!closing) timer = setTimeout(tick, intervalMs).unref();
        });
    };
    app.addHook('onReady', () => {
      timer = setTimeout(tick, intervalMs).unref();
      return Promise.resolve();
    });
    app.addHook('preClose', async () => {
      closing = true;
      clearTimeout(timer);
      await pass;
    });
    done();
  },
  { name: 'trellis-run-start-retry', dependencies: ['trellis-services', 'trellis-control'] },
);
