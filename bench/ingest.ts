// Ingest benchmark: signed webhook deliveries against a real `trellis server` on loopback,
// measured with autocannon. Each request is signed anew (its own body id, timestamp and HMAC),
// so every acknowledgement is an event durably stored before the 202. Prints a Markdown table.
//
//   node bench/ingest.ts [--duration 10] [--connections 16]
//
// It starts its own Temporal, Weaviate and PostgreSQL (embedded PGlite, or DATABASE_URL's
// server) on free ports in a temporary folder, then the server as a child process.
// Scenarios: events only (no workflow listens), events + one run started per event, and
// duplicates (one idempotency key for every request: the dedupe path).
import autocannon from 'autocannon';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signBody } from '../server/lib/signature.ts';
import { connectClient } from '../temporal/client.ts';
import { cliTokenPath } from '../server/lib/first-token.ts';
import { startProcess, waitFor } from '../services/child-process.ts';
import { serviceEnv, startServices } from '../services/stack.ts';
import { isolatedConfig } from '../tests/setup/test-stack.ts';
import { benchDatabase } from './support/bench-database.ts';
import { listenerGraph } from './support/listener-graph.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const cli = path.resolve(import.meta.dirname, '../bin/trellis.ts');

const database = await benchDatabase();
const config = await isolatedConfig(database.env, 'trellis-bench-');
const stack = await startServices(config, log);
const server = startProcess({
  name: 'server',
  command: process.execPath,
  args: [cli, 'server'],
  env: {
    ...process.env,
    ...serviceEnv(stack),
    TRELLIS_DATA_DIR: config.dataDir,
    TRELLIS_PORT: String(config.port),
    TRELLIS_HOST: '127.0.0.1',
    TRELLIS_INSTALL_TEMPLATES: 'false',
    TRELLIS_LOG_LEVEL: 'warn',
  },
  runDir: path.join(config.dataDir, 'run'),
});
const base = `http://127.0.0.1:${config.port}`;

async function main(): Promise<void> {
  await waitFor(
    'server',
    async () => ((await fetch(`${base}/api/health`).catch(() => undefined))?.ok ? true : undefined),
    {
      timeoutMs: 60_000,
    },
  );
  const { token } = JSON.parse(readFileSync(cliTokenPath(config.dataDir), 'utf8')) as { token: string };
  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const source = async (name: string) =>
    (
      await api<{ secret: string }>('POST', '/api/webhook-sources', {
        name,
        kind: 'webhook',
        rateLimitPerMinute: 1_000_000,
      })
    ).secret;

  const quiet = await source('bench-quiet');
  const busy = await source('bench-busy');
  const { workflow } = await api<{ workflow: { id: string } }>('POST', '/api/workflows', {
    name: 'Bench listener',
    graph: listenerGraph('Bench listener', { kind: 'webhook', source: 'bench-busy' }),
  });
  await api('POST', `/api/workflows/${workflow.id}/publish`, {});

  let counter = 0;
  const run = (title: string, name: string, secret: string, fixedKey?: string) =>
    new Promise<{ title: string; result: autocannon.Result }>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base,
          connections: CONNECTIONS,
          duration: DURATION,
          requests: [
            {
              method: 'POST',
              path: `/api/ingest/${name}`,
              setupRequest: (request) => {
                counter += 1;
                const body = JSON.stringify({ id: `${name}-${process.pid}-${counter}`, text: 'benchmark delivery' });
                const timestamp = Math.floor(Date.now() / 1000) - (counter % 240);
                return {
                  ...request,
                  body,
                  headers: {
                    'content-type': 'application/json',
                    'x-trellis-timestamp': String(timestamp),
                    'x-trellis-signature': signBody(secret, timestamp, body),
                    ...(fixedKey ? { 'idempotency-key': fixedKey } : {}),
                  },
                };
              },
            },
          ],
        },
        (error: Error | null, result) => (error ? reject(error) : resolve({ title, result })),
      );
      autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false });
    });

  // The ceiling of the second scenario: workflow starts straight to Temporal, no HTTP, no database.
  const client = await connectClient(stack.temporal.endpoint);
  let starts = 0;
  const until = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        await client.workflow.start('interpreter', {
          taskQueue: 'bench-nobody-polls',
          workflowId: `bench-start-${process.pid}-${starts++}`,
          args: [],
        });
      }
    }),
  );
  await client.connection.close();

  const results = [];
  log(`${DURATION} s per scenario, ${CONNECTIONS} connections`);
  results.push(await run('events only (no workflow listens)', 'bench-quiet', quiet));
  results.push(await run('event + one run started in Temporal', 'bench-busy', busy));
  results.push(await run('duplicates (one idempotency key)', 'bench-quiet', quiet, 'the-same-key'));

  const store = stack.postgres.endpoint.embedded ? 'embedded PGlite' : 'PostgreSQL';
  console.log(
    `\nIngest acknowledgements (HTTP 202), loopback, ${store}, ${CONNECTIONS} connections, ${DURATION} s each\n`,
  );
  console.log('| scenario | requests | 202s | acks/s (mean) | p50 ms | p97.5 ms | p99 ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| (baseline) Temporal workflow starts alone, no HTTP | ${starts} | – | ${(starts / DURATION).toFixed(0)} | – | – | – | – |`,
  );
  for (const { title, result } of results) {
    const acks = result['2xx'];
    console.log(
      `| ${title} | ${result.requests.total} | ${acks} | ${(acks / DURATION).toFixed(0)} | ${result.latency.p50} | ` +
        `${result.latency.p97_5} | ${result.latency.p99} | ${result.non2xx} |`,
    );
  }
}

try {
  await main();
} finally {
  await server.stop();
  await stack.stop();
  await database.drop();
  rmSync(config.dataDir, { recursive: true, force: true });
}
