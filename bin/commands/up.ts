import { Command } from 'commander';
import path from 'node:path';
import { startProcess, waitFor } from '../../services/child-process.ts';
import { loadConfig } from '../../services/config.ts';
import { ensureEditorBuilt } from '../../services/editor-build.ts';
import type { MailpitEndpoint } from '../../services/mailpit.ts';
import { assertPortFree } from '../../services/ports.ts';
import type { RunningService } from '../../services/service.ts';
import { startServicesStaged } from '../../services/staged-stack.ts';
import { Supervisor } from '../../services/supervisor.ts';
import { SUPERVISOR_STATUS_ENV } from '../../services/supervisor-status.ts';
import { connectDb } from '../../store/db.ts';
import { cliTokenPath, ensureFirstToken } from '../../server/lib/first-token.ts';
import { say } from './log.ts';

/** Where to read sent mail, and the SMTP address an account points at to send there. */
const sinkLine = (sink: MailpitEndpoint) => `${sink.webUrl} (SMTP ${sink.smtpHost}:${sink.smtpPort})`;

const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'trellis.ts');

/**
 * `trellis up`: the database, then the server (editor, gallery, API docs, health) at once, while
 * Temporal and Weaviate build and start (services/staged-stack.ts); the worker once Temporal
 * answers. Ctrl-C stops them all in order.
 */
export function upCommand(): Command {
  return new Command('up').description('start the whole product on its embedded defaults').action(async () => {
    const config = loadConfig();
    await assertPortFree(config.port, config.host, 'Trellis server, TRELLIS_PORT');
    await ensureEditorBuilt(say);
    say(`starting services (data folder ${config.dataDir})`);
    const started = Date.now();
    const stack = await startServicesStaged(config, say);
    say(`database ready in ${((Date.now() - started) / 1000).toFixed(1)} s; Temporal and Weaviate follow`);
    // When each came up, said after the URLs (which come first) but measured when it happened.
    const upAfter = (service: Promise<unknown>) => service.then(() => ((Date.now() - started) / 1000).toFixed(0));
    const temporalAfter = upAfter(stack.temporal).catch(() => '?');
    const weaviateAfter = upAfter(stack.weaviate).catch(() => '?');
    // The first API token is made here, before the server starts, so it is printed to this terminal
    // (once, below) and never into the server's log file.
    const tokenDb = connectDb(stack.postgres.endpoint);
    const firstToken = await ensureFirstToken(tokenDb, config.dataDir).finally(() => tokenDb.close());
    const runDir = path.join(config.dataDir, 'run');
    const statusFile = path.join(runDir, 'supervisor.json');
    const env = { ...process.env, ...stack.env, [SUPERVISOR_STATUS_ENV]: statusFile };
    const supervisor = new Supervisor({ log: say, statusFile });
    let stopping = false;
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      say('stopping: server, worker, then services');
      await supervisor.stop();
      await stack.stop();
      say('stopped');
      process.exit(code);
    };
    process.on('SIGINT', () => void stopAll(0));
    process.on('SIGTERM', () => void stopAll(0));

    // A child that crashes is started again (services/supervisor.ts); the others keep running.
    const watchService = (service: RunningService<unknown>) => {
      if (service.process && service.respawn) supervisor.watch(service.name, service.process, service.respawn);
    };
    const watchChild = async (name: string) => {
      const start = () =>
        Promise.resolve(startProcess({ name, command: process.execPath, args: [cli, name], env, runDir }));
      supervisor.watch(name, await start(), start);
    };
    watchService(stack.postgres);
    await watchChild('server');
    const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    // The server answers (503 while a service is still building) before everything is up.
    await waitFor('Trellis server', async () => ((await fetch(`${base}/api/health`)).status ? true : undefined), {
      timeoutMs: 60_000,
    }).catch(async (error: Error) => {
      say(error.message);
      await stopAll(1);
    });
    const temporalUi = config.temporal.address
      ? (config.temporal.uiUrl ?? '(external Temporal)')
      : `http://127.0.0.1:${config.temporal.uiPort}`;
    const urls = [
      ['Trellis', `${base}/`],
      ['API health', `${base}/api/health`],
      ['API docs', `${base}/api/docs`],
      ['Temporal Web UI', temporalUi],
      ...(stack.mailSink ? [['Sent mail (local sink)', sinkLine(stack.mailSink.endpoint)]] : []),
      ['Logs', runDir],
    ];
    const token = firstToken
      ? `\n  API token (shown once; the CLI reads it from ${cliTokenPath(config.dataDir)}):\n    ${firstToken}\n`
      : '';
    console.log(
      `\n${urls.map(([label, url]) => `  ${label?.padEnd(22)} ${url}`).join('\n')}\n${token}\n  Press Ctrl-C to stop.\n`,
    );

    // Temporal and Weaviate may still be building (the health page says how far): the worker
    // starts once Temporal answers; a service that cannot start stops everything, as before.
    const ready = (name: string, after: Promise<string>) => async (service: RunningService<unknown>) => {
      watchService(service);
      say(`${name} ready after ${await after} s`);
      return service;
    };
    const failed = async (error: Error) => {
      say(error.message);
      await stopAll(1);
    };
    void stack.weaviate.then(ready('Weaviate', weaviateAfter), failed);
    void stack.temporal.then(ready('Temporal', temporalAfter)).then(() => watchChild('worker'), failed);
    if (stack.mailSink) void stack.mailSink.started.then(watchService, failed);
  });
}
