import { compileSchemaValidatorsCode } from '@rjsf/validator-ajv8/lib/compileSchemaValidatorsCode.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { canonicalize } from 'json-canonicalize';
import { createHash } from 'node:crypto';
import { asLoaderModule } from '../../schemas/standalone-module.ts';

// The editor's forms validate with Ajv, which compiles schemas to functions; under a CSP without
// 'unsafe-eval' the browser may not do that. Their schemas arrive at run time (node plugins,
// review forms, templates, routing rules with the published workflows), so they cannot be
// compiled at build time either. The server compiles each one to standalone code (the same rjsf
// and Ajv options as the editor's validator) and serves it as a script module of this origin,
// which the CSP allows. The module takes the few Ajv runtime helpers from the editor's bundle.

const MAX_CACHED = 500;
const compiled = new Map<string, string>();

/** The schema's key: sha256 of its canonical JSON (the same schema always gets the same URL). */
export function formValidatorKey(schema: object): string {
  return createHash('sha256').update(canonicalize(schema), 'utf8').digest('hex');
}

/** Compiles a form schema to an ES module (`export default (require) => validators`); throws Ajv's reason for a bad schema. */
export function compileFormValidator(schema: object): string {
  const key = formValidatorKey(schema);
  const cached = compiled.get(key);
  if (cached !== undefined) return key;
  type Options = NonNullable<Parameters<typeof compileSchemaValidatorsCode>[1]>;
  // Draft 2020-12, as the editor's validator (editor/src/ui/schema-form.tsx) and the server's contracts.
  const code = compileSchemaValidatorsCode(schema as Parameters<typeof compileSchemaValidatorsCode>[0], {
    AjvClass: Ajv2020 as unknown as Options['AjvClass'],
  });
  const module = asLoaderModule(code, 'Compiled by the Trellis server for one editor form');
  // Oldest first out: a long-running server does not keep every schema it was ever shown.
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, module);
  return key;
}

/** The module compiled for a key, while it is kept. */
export function formValidatorModule(key: string): string | undefined {
  return compiled.get(key);
}
