import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelCallError } from '../../models/http.ts';
import { createProviderEmbedder } from '../../models/index.ts';
import { OpenAICompatibleEmbedder } from '../../models/openai-embeddings.ts';
import { startOpenAIStub, stubEmbedding, type OpenAIStub } from '../setup/openai-stub.ts';

describe('OpenAICompatibleEmbedder', () => {
  let stub: OpenAIStub;

  beforeAll(async () => {
    stub = await startOpenAIStub({ dimensions: 16 });
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(() => stub.reset());

  it('embeds in batches and returns one vector per text in input order', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      baseUrl: stub.baseUrl,
      model: 'emb',
      dimensions: 16,
      batchSize: 2,
    });
    const texts = ['invoice overdue', 'new lead from Acme', 'meeting moved to Friday'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((text) => stubEmbedding(text, 16)));
    expect(stub.requests.map((request) => request.body.input)).toEqual([texts.slice(0, 2), texts.slice(2)]);
    expect(stub.requests[0]?.body.model).toBe('emb');
  });

  it('orders vectors by their index, not by array position', async () => {
    stub.enqueue({
      json: {
        data: [
          { index: 1, embedding: [0, 1] },
          { index: 0, embedding: [1, 0] },
        ],
      },
    });
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: stub.baseUrl, model: 'emb', dimensions: 2 });
    expect(await embedder.embed(['a', 'b'])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('refuses vectors of the wrong length', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: stub.baseUrl, model: 'emb', dimensions: 12 });
    const error = await embedder.embed(['a']).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as ModelCallError).message).toContain('is not 12 finite numbers');
  });

  it('is configured from TRELLIS_EMBEDDINGS_* and absent without them', async () => {
    expect(createProviderEmbedder({})).toBeUndefined();
    const embedder = createProviderEmbedder({
      TRELLIS_EMBEDDINGS_BASE_URL: stub.baseUrl,
      TRELLIS_EMBEDDINGS_MODEL: 'emb',
      TRELLIS_EMBEDDINGS_DIMENSIONS: '16',
      TRELLIS_LLM_API_KEY: 'sk-shared-key-for-embeddings',
    });
    expect(embedder?.dimensions).toBe(16);
    await embedder?.embed(['hello']);
    expect(stub.requests[0]?.headers.authorization).toBe('Bearer sk-shared-key-for-embeddings');
  });
});
