/**
 * Rounds to float32, which is what every store keeps: a vector fresh from a model and the same
 * vector read back from the cache are then bit-identical, so scores (and ranks) do not drift.
 */
export function asFloat32(vector: ArrayLike<number>): number[] {
  return Array.from(Float32Array.from(vector));
}

export function assertDimensions(vectors: number[][], dimensions: number, model: string): void {
  for (const vector of vectors) {
    if (vector.length !== dimensions) {
      throw new Error(`embedding model ${model} returned ${vector.length} dimensions, expected ${dimensions}`);
    }
  }
}

/** Splits work into batches so one call never holds an unbounded number of texts. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
