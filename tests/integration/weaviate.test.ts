import { credentials, makeGenericClientConstructor, Metadata, status } from '@grpc/grpc-js';
import weaviate, { type WeaviateClient } from 'weaviate-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectWeaviate } from '../setup/weaviate-client.ts';

/** Calls weaviate.v1.Weaviate/Search with an empty request, so only authentication decides the answer. */
function rawGrpcSearch(address: string, apiKey?: string): Promise<{ code: number; details: string }> {
  const Client = makeGenericClientConstructor(
    {
      Search: {
        path: '/weaviate.v1.Weaviate/Search',
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: Buffer) => value,
        requestDeserialize: (value: Buffer) => value,
        responseSerialize: (value: Buffer) => value,
        responseDeserialize: (value: Buffer) => value,
      },
    },
    'Weaviate',
  );
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  if (apiKey) metadata.set('authorization', `Bearer ${apiKey}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/weaviate.v1.Weaviate/Search',
      (value: Buffer) => value,
      (value: Buffer) => value,
      Buffer.alloc(0),
      metadata,
      (error) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details } : { code: status.OK, details: '' });
      },
    );
  });
}

describe('Weaviate with API-key authentication', () => {
  const { weaviate: endpoint } = inject('services');
  const name = `FoundationProbe${Date.now()}`;
  let client: WeaviateClient;

  beforeAll(async () => {
    client = await connectWeaviate(endpoint);
    await client.collections.create({
      name,
      properties: [{ name: 'text', dataType: 'text' }],
      vectorizers: weaviate.configure.vectors.selfProvided({
        vectorIndexConfig: weaviate.configure.vectorIndex.hnsw({ distanceMetric: 'cosine' }),
      }),
    });
  });

  afterAll(async () => {
    await client.collections.delete(name);
    await client.close();
  });

  it('stores objects with our own vectors and finds the nearest', async () => {
    const collection = client.collections.get(name);
    const result = await collection.data.insertMany([
      { properties: { text: 'invoice overdue' }, vectors: [1, 0, 0] },
      { properties: { text: 'meeting notes' }, vectors: [0, 1, 0] },
      { properties: { text: 'project brief' }, vectors: [0, 0, 1] },
    ]);
    expect(result.hasErrors).toBe(false);
    const found = await collection.query.nearVector([0.9, 0.1, 0], { limit: 1, includeVector: true });
    expect(found.objects[0]?.properties.text).toBe('invoice overdue');
    expect(found.objects[0]?.vectors.default).toEqual([1, 0, 0]);
  });

  it('refuses REST calls without the key or with a wrong one', async () => {
    const url = new URL(`/v1/schema`, endpoint.url);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer not-the-key' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${endpoint.apiKey}` } })).status).toBe(200);
  });

  it('refuses gRPC calls without the key', async () => {
    const anonymous = await rawGrpcSearch(endpoint.grpcAddress);
    expect(anonymous.code).not.toBe(status.OK);
    expect(anonymous.details).toMatch(/anonymous|api key|unauthenticated|authoriz/i);
    const wrongKey = await rawGrpcSearch(endpoint.grpcAddress, 'not-the-key');
    expect(wrongKey.details).toMatch(/invalid api key/i);
    // With the key the same empty request gets past authentication and fails on its content.
    const withKey = await rawGrpcSearch(endpoint.grpcAddress, endpoint.apiKey);
    expect(withKey.details).not.toMatch(/api key|anonymous/i);
  });
});
