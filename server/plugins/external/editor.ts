import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const editorDist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../editor/dist');

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
