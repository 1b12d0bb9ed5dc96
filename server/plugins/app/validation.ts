import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { contractSchemas, validatorFor } from '../../../schemas/ajv.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// Query strings, path parameters and headers arrive as text: they get an Ajv that coerces
// ("20" → 20, one value → [value]). Bodies are JSON and go through the shared Ajv unchanged,
// so the server validates exactly as the editor and the worker do.
const coercing = new Ajv2020({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true });
addFormats(coercing);
for (const schema of contractSchemas) coercing.addSchema(schema);

/** Shared JSON Schemas for Fastify: bodies by the shared Ajv, the other parts coerced; replies as plain JSON. */
export const validationPlugin = fp(
  (app: FastifyInstance, _options: unknown, done: () => void) => {
    // Registered so @fastify/swagger can put them in the OpenAPI components and routes can `$ref` them.
    for (const schema of contractSchemas) app.addSchema(schema);
    app.setValidatorCompiler(({ schema, httpPart }) =>
      httpPart === 'body' ? validatorFor(schema) : coercing.compile(schema),
    );
    // Response schemas document the API; they never strip or reshape what a handler sends.
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    done();
  },
  { name: 'trellis-validation' },
);
