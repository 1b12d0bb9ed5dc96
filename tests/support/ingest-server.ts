// The HTTP API on a free loopback port, over the test services, with a token and helpers to send
// signed deliveries: what the ingest hardening tests talk to, as a sender on the network would.
import http from 'node:http';
import { signBody } from '../../server/lib/signature.ts';
import { createWebhookSource, type WebhookSourceKind } from '../../store/webhook-sources.ts';
import type { TestServices } from '../setup/test-stack.ts';
import { startApiApp, type ApiApp } from './api-app.ts';

/** The API app (listening) with helpers to make sources and post signed deliveries to them. */
export interface IngestServer extends ApiApp {
  /** A new source of that kind; its name carries the prefix and a unique suffix. */
  source(
    prefix: string,
    kind?: WebhookSourceKind,
    rateLimitPerMinute?: number,
  ): Promise<{ name: string; secret: string }>;
  /** Signs the body with the secret (or takes the headers given) and posts it to the source. */
  deliver(
    source: string,
    secret: string,
    body: string | Buffer,
    options?: { contentType?: string; timestamp?: number; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Rows of the event table, to show that a refused request stored nothing and changed nothing. */
  eventRows(): Promise<unknown[]>;
}

let sequence = 0;
export const now = () => Math.floor(Date.now() / 1000);

export async function startIngestServer(services: TestServices): Promise<IngestServer> {
  const started = await startApiApp(services, {
    label: 'ingest hardening test',
    harness: { worker: false },
    listen: true,
  });
  const { h, app, base } = started;
  return {
    ...started,
    async source(prefix, kind = 'webhook', rateLimitPerMinute) {
      const name = `${prefix}-${Date.now().toString(36)}-${sequence++}`;
      const created = await createWebhookSource(h.db, app.services.keyring, {
        name,
        kind,
        ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
      });
      if (!created) throw new Error(`source ${name} exists already`);
      return { name, secret: created.secret };
    },
    deliver(source, secret, body, options = {}) {
      const timestamp = options.timestamp ?? now();
      return fetch(`${base}/api/ingest/${source}`, {
        method: 'POST',
        headers: {
          'content-type': options.contentType ?? 'application/json',
          'x-trellis-timestamp': String(timestamp),
          'x-trellis-signature': signBody(secret, timestamp, body),
          ...options.headers,
        },
        body,
      });
    },
    async eventRows() {
      const { rows } = await h.db.query('select id, status, payload, metadata, rejection from events order by id');
      return rows;
    },
  };
}

export interface PartialAnswer {
  status: number;
  body: string;
  /** Milliseconds from the first body bytes sent to the answer. */
  ms: number;
  /** Body bytes written before the answer came. */
  sent: number;
}

/**
 * Declares a large body, sends only its first bytes and waits (bounded) for an answer: a server
 * that checks before reading answers at once, one that reads first never does.
 */
export function postPartially(
  url: string,
  headers: Record<string, string>,
  declaredLength: number,
  timeoutMs = 5_000,
): Promise<PartialAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const first = Buffer.alloc(Math.min(1024, declaredLength), 'a');
    const request = http.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(declaredLength) },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms after ${first.length} of ${declaredLength} bytes`));
    }, timeoutMs);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Date.now() - started,
          sent: first.length,
        });
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.write(first);
  });
}
