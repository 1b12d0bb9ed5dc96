import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { randomUUID } from 'node:crypto';
import { replayHistories } from '../../../temporal/replay.ts';
import { fetchDecodedHistory } from '../../../temporal/codec/history.ts';
import { buildLedger } from '../../../temporal/ledger.ts';
import { diffOutputs, fetchLedger, rerunFrom } from '../../../temporal/rerun.ts';
import { runStatus } from '../../../temporal/runs.ts';
import { pendingRunStart } from '../../../store/run-start-outbox.ts';
import { badRequest, ServiceUnavailableError } from '../../lib/http-errors.ts';
import { describeRun, listRuns, requireRun } from '../../lib/runs.ts';
import { diffQuery, listRunsQuery, rerunBody, runParams } from '../../schemas/runs.ts';

const tags = ['runs'];

/** Runs: Temporal executions of the interpreter, read from Temporal (status, ledger, replay, re-run, diff). */
export const runRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;
  const config = app.trellisConfig;
  const temporal = () => app.services.temporal();

  app.get('/', { schema: { tags, querystring: listRunsQuery } }, async (request) => {
    const { workflowId, status, limit, pageToken, includeCanaries } = request.query;
    return listRuns(db, await temporal(), config, {
      limit,
      includeCanaries,
      ...(workflowId ? { workflowId } : {}),
      ...(status ? { status } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
  });

  app.get('/:runId', { schema: { tags, params: runParams } }, async (request) => {
    // A run ingest deferred while Temporal was unreachable (server/lib/run-start-outbox.ts) exists only here yet.
    const pending = await pendingRunStart(db, request.params.runId);
    if (pending) throw new ServiceUnavailableError(`the run has not started yet: ${pending}`, 5, '/params/runId');
    const client = await temporal();
    const run = await describeRun(db, client, config, request.params.runId);
    // A live run answers the interpreter's `status` query; a finished one is read from its
    // history (a query would need a worker to replay it).
    if (run.status === 'running') return { run, status: await runStatus(client, run.runId) };
    const ledger = await fetchLedger(client, run.runId);
    const status = {
      planHash: ledger.planHash,
      status: run.status === 'completed' ? ('completed' as const) : ('failed' as const),
      nodes: ledger.entries.map((entry) => ({
        id: entry.nodeId,
        type: entry.nodeType,
        status: entry.status,
        attempt: entry.attempt,
        ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
        ...(entry.endedAt ? { endedAt: entry.endedAt } : {}),
        ...(entry.error ? { error: entry.error } : {}),
        ...(entry.tier ? { tier: entry.tier } : {}),
      })),
      waitingTasks: [],
    };
    return { run, status };
  });

  app.get('/:runId/ledger', { schema: { tags, params: runParams } }, async (request) => {
    const client = await temporal();
    await requireRun(client, request.params.runId);
    return fetchLedger(client, request.params.runId);
  });

  app.post('/:runId/cancel', { schema: { tags, params: runParams } }, async (request, reply) => {
    const client = await temporal();
    const description = await requireRun(client, request.params.runId);
    if (description.status.name === 'RUNNING') await client.workflow.getHandle(request.params.runId).cancel();
    return reply
      .code(202)
      .send({ runId: request.params.runId, status: description.status.name === 'RUNNING' ? 'cancelling' : 'finished' });
  });

  app.post('/:runId/replay', { schema: { tags, params: runParams } }, async (request) => {
    const client = await temporal();
    await requireRun(client, request.params.runId);
    const history = await fetchDecodedHistory(client, request.params.runId);
    // A forgotten client's run has nothing left to replay; say so rather than fail on the marker.
    const { erased } = buildLedger(request.params.runId, history);
    if (erased) return { ok: false, erased, error: `client data erased at ${erased.erasedAt} by ${erased.erasedBy}` };
    const [result] = await replayHistories([{ workflowId: request.params.runId, history }]);
    return { ok: result?.ok ?? false, ...(result?.error ? { error: result.error } : {}) };
  });

  app.post('/:runId/rerun', { schema: { tags, params: runParams, body: rerunBody } }, async (request, reply) => {
    const client = await temporal();
    await requireRun(client, request.params.runId);
    const ledger = await fetchLedger(client, request.params.runId);
    if (!ledger.entries.some((entry) => entry.nodeId === request.body.fromNode)) {
      throw badRequest(`node "${request.body.fromNode}" is not in this run's plan`, '/fromNode');
    }
    const { handle, started, reused } = await rerunFrom(client, {
      workflowId: request.params.runId,
      fromNode: request.body.fromNode,
      taskQueue: config.temporal.taskQueue,
      idempotencyKey: request.body.idempotencyKey ?? `rerun:${randomUUID()}`,
    });
    return reply.code(202).send({ runId: handle.workflowId, started, reused });
  });

  app.get('/:runId/diff', { schema: { tags, params: runParams, querystring: diffQuery } }, async (request) => {
    const client = await temporal();
    await requireRun(client, request.params.runId);
    await requireRun(client, request.query.against, '/query/against');
    const [before, after] = await Promise.all([
      fetchLedger(client, request.query.against),
      fetchLedger(client, request.params.runId),
    ]);
    return { diff: diffOutputs(before, after) };
  });

  return Promise.resolve();
};
