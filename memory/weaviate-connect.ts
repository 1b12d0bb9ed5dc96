import weaviate, { type WeaviateClient } from 'weaviate-client';

export interface WeaviateConnection {
  /** REST URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** `host:port` of the gRPC API. */
  grpcAddress: string;
  apiKey?: string | undefined;
}

/** Connects with the API key; keeps the client's init checks, which fail cleanly on a bad key (SERVICES.md). */
export function connectWeaviate({ url, grpcAddress, apiKey }: WeaviateConnection): Promise<WeaviateClient> {
  const http = new URL(url);
  const [grpcHost = http.hostname, grpcPort = '50051'] = grpcAddress.split(':');
  return weaviate.connectToCustom({
    httpHost: http.hostname,
    httpPort: Number(http.port || (http.protocol === 'https:' ? 443 : 80)),
    httpSecure: http.protocol === 'https:',
    grpcHost,
    grpcPort: Number(grpcPort),
    grpcSecure: http.protocol === 'https:',
    ...(apiKey ? { authCredentials: new weaviate.ApiKey(apiKey) } : {}),
  });
}
