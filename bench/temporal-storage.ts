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

async function measure(mode: (typeof modes)[number], index: number): Promise<string[]> {
  const temporal = { ...config.temporal, port: await freePort(), uiPort: await freePort() };
  const dbFile = mode.file ? path.join(folder, `temporal-${index}.db`) : undefined;
  const server = startProcess({
    name: `temporal-${index}`,
    command: binary.path,
    args: devServerArgs(temporal, dbFile, mode.pragmas),
    runDir: folder,
  });
  const address = `127.0.0.1:${temporal.port}`;
  try {
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
    const cells: string[] = [mode.label];
    await worker.runUntil(async () => {
      for (const sleepMs of [10, 0]) {
        const times: number[] = [];
        for (let i = 0; i < runs + 2; i++) {
          const started = performance.now();
          const value: unknown = await client.workflow.execute('storageChain', {
            taskQueue: 'storage',
            workflowId: `chain-${sleepMs}-${i}`,
            args: [steps, sleepMs],
          });
          if (value !== steps) throw new Error('the chain computed the wrong value');
          if (i >= 2) times.push(performance.now() - started); // the first two warm up
        }
        const m = median(times);
        cells.push((m / 1000).toFixed(3), (m / steps).toFixed(1));
      }
    });
    await client.connection.close();
    await connection.close();
    return cells;
  } finally {
    await server.stop();
  }
}

const rows: string[][] = [];
try {
  for (const [index, mode] of modes.entries()) {
    rows.push(await measure(mode, index));
    console.error(`done: ${mode.label}`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
console.log(
  `\nTemporal dev server storage, ${steps} sequential activities, median of ${runs} runs each, ${new Date().toISOString()}`,
);
console.log(`| storage | ${steps} × 10 ms, s | ms/step | ${steps} × no-op, s | ms/step |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
