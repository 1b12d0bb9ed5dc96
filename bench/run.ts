// `npm run bench`: every benchmark in turn, each printing its own table. Each starts its own
// services on free ports; run on a quiet machine, the figures are only as steady as it is.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benches = [
  'temporal-storage.ts',
  'engine.ts',
  'throughput.ts',
  'ingest.ts',
  'replay.ts',
  'memory.ts',
  'embeddings.ts',
  'editor-frames.ts',
  'extract-quality.ts',
  'mail-intake.ts',
];
const only = process.argv.slice(2);
for (const file of benches.filter((name) => only.length === 0 || only.some((want) => name.startsWith(want)))) {
  console.log(`\n## ${file}\n`);
  const result = spawnSync(process.execPath, [path.join(import.meta.dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) console.log(`(${file} exited with ${result.status ?? result.signal})`);
}
