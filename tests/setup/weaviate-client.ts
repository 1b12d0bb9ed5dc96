import weaviate, { type WeaviateClient } from 'weaviate-client';

export interface WeaviateEndpointLike {
  url: string;
  grpcAddress: string;
  apiKey: string | undefined;
}

/** Connects with the API key; keeps the client's init checks, which fail cleanly on a bad key. */
export function connectWeaviate(endpoint: WeaviateEndpointLike, apiKey = endpoint.apiKey): Promise<WeaviateClient> {
  const http = new URL(endpoint.url);
  const [grpcHost = '127.0.0.1', grpcPort = '50051'] = endpoint.grpcAddress.split(':');
  return weaviate.connectToCustom({
    httpHost: http.hostname,
    httpPort: Number(http.port),
    grpcHost,
    grpcPort: Number(grpcPort),
    ...(apiKey ? { authCredentials: new weaviate.ApiKey(apiKey) } : {}),
  });
}
