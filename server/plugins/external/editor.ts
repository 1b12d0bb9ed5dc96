import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const editorDist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../editor/dist');

/** Where the editor shows its not-found page; any path the editor does not know would do. */
export const NOT_FOUND_PATH = '/not-found';

/**
 * Fastify's `frameworkErrors`. A URL it cannot decode (`/runs/%E0%A4%A`, FST_ERR_BAD_URL): a
 * person's browser is sent to the editor's not-found page (a redirect, so the page comes with
 * every security header of a normal reply, which an answer from here would lack); an API caller
 * gets a 400 naming the URL. Anything else as Fastify answers it.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    void reply.code(error.statusCode ?? 400).send(error);
    return;
  }
  if (request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(path.join(editorDist, 'index.html'))) {
    void reply.redirect(NOT_FOUND_PATH, 302);
    return;
  }
  const message = 'the URL is not valid percent-encoding';
  void reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, errors: [{ pointer: '/url', message }] });
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
