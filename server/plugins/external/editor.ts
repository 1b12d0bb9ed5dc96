import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const editorDist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../editor/dist');

let indexHtml: string | undefined;

/** The editor's page, read once; undefined when the editor is not built. */
export function editorIndexHtml(): string | undefined {
  const file = path.join(editorDist, 'index.html');
  if (indexHtml === undefined && existsSync(file)) indexHtml = readFileSync(file, 'utf8');
  return indexHtml;
}

/**
 * Fastify's answer to a URL it cannot decode (`/runs/%E0%A4%A`, FST_ERR_BAD_URL): a person's
 * browser gets the editor, whose router shows its not-found page (status 404); an API caller gets
 * a 400 naming the URL.
 */
export function badUrlAnswer(request: { method: string; url: string }): {
  status: number;
  type: string;
  body: string | Record<string, unknown>;
} {
  const html = request.method === 'GET' && !request.url.startsWith('/api/') ? editorIndexHtml() : undefined;
  if (html) return { status: 404, type: 'text/html; charset=utf-8', body: html };
  const message = 'the URL is not valid percent-encoding';
  return {
    status: 400,
    type: 'application/json; charset=utf-8',
    body: { statusCode: 400, error: 'Bad Request', message, errors: [{ pointer: '/url', message }] },
  };
}

/** Fastify's `frameworkErrors`: a bad URL as above, anything else as Fastify answers it. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    void reply.code(error.statusCode ?? 400).send(error);
    return;
  }
  const answer = badUrlAnswer(request);
  void reply.code(answer.status).type(answer.type).send(answer.body);
}

/** Serves the built editor; unknown non-API paths fall back to index.html for client-side routing. */
export const editorPlugin: FastifyPluginAsync = fp(async (app) => {
  if (!existsSync(path.join(editorDist, 'index.html'))) {
    app.log.warn(`editor build missing at ${editorDist}; run "npm run build:editor"`);
    return;
  }
  await app.register(fastifyStatic, { root: editorDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url}` });
  });
});
