import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cachedEmbedder } from '../../memory/embeddings/cached.ts';
import { openAiCompatibleEmbedder } from '../../memory/embeddings/openai-compatible.ts';
import { USE_LITE_DIMENSIONS, USE_LITE_MODEL, useLiteEmbedder } from '../../memory/embeddings/use-lite.ts';
import { embedderOptionsFromEnv } from '../../memory/index.ts';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const use = useLiteEmbedder();

describe('useLiteEmbedder', () => {
  it('makes deterministic unit-norm 512-d vectors', async () => {
    const texts = ['Invoice INV-2024-044 is overdue.', 'Can we move the launch to June 12?'];
    const batch = await use.embed(texts);
    expect(use.model).toBe(USE_LITE_MODEL);
    expect(batch).toHaveLength(2);
    expect(batch[0]).toHaveLength(USE_LITE_DIMENSIONS);
    expect(Math.hypot(...batch[0]!)).toBeCloseTo(1, 4);
    expect(await use.embed(texts)).toEqual(batch);
    // Alone, a text gets the same vector up to float32 rounding (TF.js sums in another order).
    const [alone] = await use.embed([texts[0]!]);
    expect(Math.max(...alone!.map((value, i) => Math.abs(value - batch[0]![i]!)))).toBeLessThan(1e-5);
    expect(await use.embed([])).toEqual([]);
  });

  it('puts a paraphrase closer than an unrelated sentence', async () => {
    const [question, paraphrase, unrelated] = await use.embed([
      'When do you want the website to go live?',
      'What is the launch date for the new site?',
      'Please send the receipt for the croissants.',
    ]);
    expect(cosine(question!, paraphrase!)).toBeGreaterThan(cosine(question!, unrelated!) + 0.1);
  });
});

describe('cachedEmbedder', () => {
  const { pglite } = inject('services');
  const db = new pg.Pool({ connectionString: pglite.url, max: 1 });
  const model = `use-lite-cache-test-${process.pid}-${Date.now()}`;
  const renamed = { model, dimensions: use.dimensions, embed: (texts: string[]) => use.embed(texts) };

  afterAll(async () => {
    await db.query('delete from embedding_cache where model = $1', [model]);
    await db.end();
  });

  it('embeds each distinct text once, then serves memory and the embedding_cache table', async () => {
    const first = cachedEmbedder(renamed, { db });
    const texts = ['Stripe webhook timed out.', 'Refund the two customers.', 'Stripe webhook timed out.'];
    const vectors = await first.embed(texts);
    expect(first.stats).toEqual({ memoryHits: 0, databaseHits: 0, computed: 2 });
    expect(vectors[2]).toEqual(vectors[0]);
    await first.embed(texts);
    expect(first.stats).toEqual({ memoryHits: 2, databaseHits: 0, computed: 2 });

    // A new process (a new embedder) finds them in the table, bit-identical.
    const second = cachedEmbedder(renamed, { db });
    expect(await second.embed(texts)).toEqual(vectors);
    expect(second.stats).toEqual({ memoryHits: 0, databaseHits: 2, computed: 0 });
    const { rows } = await db.query<{ dimensions: number }>('select dimensions from embedding_cache where model = $1', [
      model,
    ]);
    expect(rows.map((row) => row.dimensions)).toEqual([512, 512]);
  });

  it('keeps caches of different models apart', async () => {
    const other = cachedEmbedder({ ...renamed, model: `${model}-other` }, { db });
    await other.embed(['Stripe webhook timed out.']);
    expect(other.stats.computed).toBe(1);
    await db.query('delete from embedding_cache where model = $1', [`${model}-other`]);
  });
});

describe('openAiCompatibleEmbedder', () => {
  // A real HTTP server speaking the OpenAI embeddings API, backed by the local model.
  const key = 'sk-test-secret-key-12345';
  const requests: { auth: string | undefined; body: { model: string; input: string[]; dimensions?: number } }[] = [];
  let server: Server;
  let baseUrl: string;

  const readJson = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      model: string;
      input: string[];
      dimensions?: number;
    };
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      void (async () => {
        const body = await readJson(request);
        requests.push({ auth: request.headers.authorization, body });
        if (request.url !== '/v1/embeddings' || request.headers.authorization !== `Bearer ${key}`) {
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization}` } }),
          );
          return;
        }
        const vectors = await use.embed(body.input);
        const sized = body.dimensions ? vectors.map((vector) => vector.slice(0, body.dimensions)) : vectors;
        // Answer in reverse order: clients must place rows by `index`.
        const data = sized.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', model: body.model, data }));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the texts with the key and puts the answers back in input order', async () => {
    const embedder = openAiCompatibleEmbedder({
      baseUrl,
      model: 'all-minilm',
      apiKey: key,
      dimensions: 512,
      batchSize: 2,
    });
    const texts = ['first text', 'second text', 'third text'];
    const vectors = await embedder.embed(texts);
    const expected = await use.embed(texts);
    vectors.forEach((vector, i) => {
      expect(Math.max(...vector.map((value, j) => Math.abs(value - expected[i]![j]!)))).toBeLessThan(1e-5);
    });
    expect(requests.slice(-2).map((request) => request.body.input)).toEqual([
      ['first text', 'second text'],
      ['third text'],
    ]);
    expect(requests.at(-1)?.auth).toBe(`Bearer ${key}`);
    expect(embedder.model).toBe('all-minilm@512d');
  });

  it('names a known model plainly and checks the returned size', async () => {
    const embedder = openAiCompatibleEmbedder({ baseUrl, model: 'all-minilm', apiKey: key });
    expect(embedder.model).toBe('all-minilm');
    expect(embedder.dimensions).toBe(384);
    await expect(embedder.embed(['hello'])).rejects.toThrow(/returned 512 dimensions, expected 384/);
  });

  it('never puts the key in an error message', async () => {
    const wrongKey = `${key}-wrong`;
    const embedder = openAiCompatibleEmbedder({ baseUrl, model: 'text-embedding-3-small', apiKey: wrongKey });
    const error = await embedder.embed(['hello']).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/answered 401/);
    expect((error as Error).message).toContain('[redacted]');
    expect((error as Error).message).not.toContain(wrongKey);
  });

  it('asks for the dimension count of a model it does not know', () => {
    expect(() => openAiCompatibleEmbedder({ baseUrl, model: 'my-own-model' })).toThrow(/TRELLIS_EMBEDDINGS_DIMENSIONS/);
  });
});

describe('embedderOptionsFromEnv', () => {
  it('uses the local model unless a provider endpoint is configured', () => {
    expect(embedderOptionsFromEnv({})).toEqual({ tier: 'local' });
    expect(
      embedderOptionsFromEnv({
        TRELLIS_EMBEDDINGS_BASE_URL: 'https://api.example/v1',
        TRELLIS_EMBEDDINGS_MODEL: 'text-embedding-3-small',
        TRELLIS_EMBEDDINGS_API_KEY: 'k',
        TRELLIS_EMBEDDINGS_DIMENSIONS: '256',
      }),
    ).toEqual({
      tier: 'provider',
      baseUrl: 'https://api.example/v1',
      model: 'text-embedding-3-small',
      apiKey: 'k',
      dimensions: 256,
    });
    expect(() => embedderOptionsFromEnv({ TRELLIS_EMBEDDINGS_BASE_URL: 'https://api.example/v1' })).toThrow(/MODEL/);
  });
});
