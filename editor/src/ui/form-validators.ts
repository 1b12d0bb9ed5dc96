// Form validation without eval. Ajv compiles schemas to functions, which the server's CSP (no
// 'unsafe-eval') forbids in the page; and the forms' schemas arrive at run time, so they cannot be
// compiled at build time. The server compiles each schema (POST /api/form-validators, the same
// rjsf and Ajv options) into a script module of this origin, which the page imports; the module
// takes the few Ajv runtime helpers it needs from this bundle.
import { hashForSchema, type RJSFSchema, type ValidatorType } from '@rjsf/utils';
import {
  createPrecompiledValidator,
  type CompiledValidateFunction,
  type ValidatorFunctions,
} from '@rjsf/validator-ajv8';
import equal from 'ajv/dist/runtime/equal.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import uri from 'ajv/dist/runtime/uri.js';
import { fastFormats, fullFormats } from 'ajv-formats/dist/formats.js';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';

/**
 * A CommonJS module's `exports.default`: depending on the bundler's interop, a default import
 * of one (marked `__esModule`) is either that already or the whole exports object.
 */
function defaultOf(imported: unknown): unknown {
  const module = imported as { __esModule?: boolean; default?: unknown } | undefined;
  return module && typeof module === 'object' && module.__esModule ? module.default : imported;
}

/** What compiled validator code may `require` (Ajv standalone names its runtime helpers so). */
const runtime: Record<string, unknown> = {
  'ajv/dist/runtime/equal': { default: defaultOf(equal) },
  'ajv/dist/runtime/ucs2length': { default: defaultOf(ucs2length) },
  'ajv/dist/runtime/uri': { default: defaultOf(uri) },
  'ajv-formats/dist/formats': { fullFormats, fastFormats },
};

export function requireRuntime(name: string): unknown {
  if (!(name in runtime)) throw new Error(`a form validator needs ${name}, which the editor does not provide`);
  return runtime[name];
}

type ValidatorModule = { default: (require: (name: string) => unknown) => ValidatorFunctions };

const pending = new Map<string, Promise<ValidatorType>>();
const ready = new Map<string, ValidatorType>();
/** The schema's own Ajv function (errors in Ajv's shape), for the shared graph validation. */
const rootFunctions = new Map<string, CompiledValidateFunction>();

async function compile(schema: object, key: string): Promise<ValidatorType> {
  const { url } = await api.post<{ url: string }>('/form-validators', { schema });
  const module = (await import(/* @vite-ignore */ url)) as ValidatorModule;
  const functions = module.default(requireRuntime);
  const validator = createPrecompiledValidator(functions, schema as RJSFSchema);
  const root = functions[(schema as { $id?: string }).$id ?? hashForSchema(schema as RJSFSchema)];
  if (root) rootFunctions.set(key, root);
  ready.set(key, validator);
  return validator;
}

/** The validator for a schema: compiled once per page for each distinct schema. */
export function loadFormValidator(schema: object): Promise<ValidatorType> {
  const key = JSON.stringify(schema);
  let loading = pending.get(key);
  if (!loading) {
    loading = compile(schema, key);
    pending.set(key, loading);
    // A failure (server restarted, network) is tried again next time.
    loading.catch(() => pending.delete(key));
  }
  return loading;
}

/** The validator for a schema if it is loaded already. */
export function loadedFormValidator(schema: object): ValidatorType | undefined {
  return ready.get(JSON.stringify(schema));
}

/** The schema's Ajv function if loaded (editor/src/editor/graph-ajv.ts). */
export function loadedRootFunction(schema: object): CompiledValidateFunction | undefined {
  return rootFunctions.get(JSON.stringify(schema));
}

/** The schema's validator once loaded (undefined meanwhile), or the reason it could not be. */
export function useFormValidator(schema: object): { validator?: ValidatorType; problem?: string } {
  const [state, setState] = useState<{ schema: object; validator?: ValidatorType; problem?: string }>(() => ({
    schema,
    ...(loadedFormValidator(schema) ? { validator: loadedFormValidator(schema) } : {}),
  }));
  useEffect(() => {
    let live = true;
    loadFormValidator(schema).then(
      (validator) => live && setState({ schema, validator }),
      (error: unknown) => live && setState({ schema, problem: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [schema]);
  if (state.schema !== schema) return loadedFormValidator(schema) ? { validator: loadedFormValidator(schema) } : {};
  return state;
}
