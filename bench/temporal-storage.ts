// How the Temporal dev server's SQLite storage sets the pace of every run: the same 40-step chain of
// activities against the server started with each storage mode in turn, on one machine in one run.
//   node bench/temporal-storage.ts [--runs 7] [--steps 40]
// Modes: SQLite's default rollback journal (what `--db-filename` alone gives), WAL with
// synchronous=full (Trellis's default), WAL with synchronous=normal (TRELLIS_TEMPORAL_SQLITE_SYNC),
// and no file at all (in memory, the ceiling).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess, waitFor } from '../services/child-process.ts';
import { loadConfig } from '../services/config.ts';
import { resolveGoBinary, temporalCli } from '../services/go-binary.ts';
import { freePort } from '../services/ports.ts';
import { devServerArgs, sqlitePragmas, temporalVersion } from '../services/temporal.ts';
import { quietTemporalRuntime } from '../tests/support/interpreter-harness.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, steps: { type: 'string', default: '40' } },
});
const runs = Number(values.runs);
const steps = Number(values.steps);

const modes = [
  { label: 'SQLite file, rollback journal (SQLite default)', file: true, pragmas: [] as string[] },
  { label: 'SQLite file, WAL, synchronous=full (default)', file: true, pragmas: sqlitePragmas('full') },
  { label: 'SQLite file, WAL, synchronous=normal', file: true, pragmas: sqlitePragmas('normal') },
  { label: 'in memory (no file)', file: false, pragmas: [] as string[] },
];

quietTemporalRuntime();
const config = loadConfig(process.env);
const binary = await resolveGoBinary(config.cacheDir, temporalCli, () => {});
const folder = mkdtempSync(path.join(tmpdir(), 'trellis-bench-storage-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Server {
  run(sleepMs: number): Promise<number>;
  close(): Promise<void>;
}

/** One dev server in the given mode with its own worker; `run` times one chain start → result. */
async function startServer(mode: (typeof modes)[number], index: number): Promise<Server> {
  const temporal = { ...config.temporal, port: await freePort(), uiPort: await freePort() };
  const dbFile = mode.file ? path.join(folder, `temporal-${index}.db`) : undefined;
  const server = startProcess({
    name: `temporal-${index}`,
    command: binary.path,
    args: devServerArgs(temporal, dbFile, mode.pragmas),
    runDir: folder,
  });
  const address = `127.0.0.1:${temporal.port}`;
  await waitFor('Temporal', () => temporalVersion(address), { timeoutMs: 60_000, until: server.exited });
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const worker = await Worker.create({
    connection,
    taskQueue: 'storage',
    workflowsPath: path.resolve(import.meta.dirname, 'temporal-storage-workflows.ts'),
    activities: {
      step: async (value: number, sleepMs: number) => {
        if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
        return value + 1;
      },
    },
  });
  const running = worker.run();
  let count = 0;
  return {
    async run(sleepMs) {
      const started = performance.now();
      const value: unknown = await client.workflow.execute('storageChain', {
        taskQueue: 'storage',
        workflowId: `chain-${count++}`,
        args: [steps, sleepMs],
      });
      if (value !== steps) throw new Error('the chain computed the wrong value');
      return performance.now() - started;
    },
    async close() {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
      await server.stop();
    },
  };
}

// All servers run side by side and the runs alternate between them, so the machine's drift
// (it is shared and noisy) hits every mode alike.
const servers: Server[] = [];
const times = modes.map(() => ({ 10: [] as number[], 0: [] as number[] }));
try {
  for (const [index, mode] of modes.entries()) servers.push(await startServer(mode, index));
  for (const sleepMs of [10, 0] as const) {
    for (let round = 0; round < runs + 2; round++) {
      for (const [index, server] of servers.entries()) {
        const elapsed = await server.run(sleepMs);
        if (round >= 2) times[index]?.[sleepMs].push(elapsed); // two rounds warm up
      }
    }
  }
} finally {
  for (const server of servers) await server.close();
  rmSync(folder, { recursive: true, force: true });
}
const rows = modes.map((mode, index) => {
  const cells = [mode.label];
  for (const sleepMs of [10, 0] as const) {
    const m = median(times[index]?.[sleepMs] ?? []);
    cells.push((m / 1000).toFixed(3), (m / steps).toFixed(1));
  }
  return cells;
});
console.log(
  `\nTemporal dev server storage, ${steps} sequential activities, median of ${runs} alternating runs each, ${new Date().toISOString()}`,
);
console.log(`| storage | ${steps} × 10 ms, s | ms/step | ${steps} × no-op, s | ms/step |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
