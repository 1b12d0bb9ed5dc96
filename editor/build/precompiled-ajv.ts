// The editor runs the shared graph validation (workflows/validate.ts) as you draw, under a CSP
// without 'unsafe-eval'. This plugin gives it Ajv without compiling in the page:
// - schemas/ajv.ts (one Ajv instance, compiling on demand) is swapped for
//   editor/src/editor/graph-ajv.ts, which serves precompiled validators;
// - `virtual:workflow-graph-validator` is the WorkflowGraph contract compiled here, at build
//   time, with the options of schemas/ajv.ts (node config schemas come from the server at run time).
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import path from 'node:path';
import type { Plugin } from 'vite';
import { asLoaderModule } from '../../schemas/standalone-module.ts';
import { workflowGraphSchema } from '../../schemas/workflow-graph.ts';

// CommonJS modules: under Node their default import is the exports object, under a bundler the function.
type AddFormats = (ajv: Ajv2020) => unknown;
type Standalone = (ajv: Ajv2020, validate: unknown) => string;
const interop = <T>(module: unknown): T => ((module as { default?: T }).default ?? module) as T;
const addFormats = interop<AddFormats>(addFormatsModule);
const standaloneCode = interop<Standalone>(standaloneModule);

const VIRTUAL = 'virtual:workflow-graph-validator';

export function precompiledAjv(repoRoot: string): Plugin {
  const sharedAjv = path.join(repoRoot, 'schemas/ajv.ts');
  const graphAjv = path.join(repoRoot, 'editor/src/editor/graph-ajv.ts');
  return {
    name: 'trellis-precompiled-ajv',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === VIRTUAL) return `\0${VIRTUAL}`;
      if (importer && path.resolve(path.dirname(importer), source) === sharedAjv) return graphAjv;
      return undefined;
    },
    load(id) {
      if (id !== `\0${VIRTUAL}`) return undefined;
      const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, code: { source: true } });
      addFormats(ajv);
      const validate = ajv.compile(workflowGraphSchema);
      return asLoaderModule(standaloneCode(ajv, validate), 'Compiled at build time (editor/build/precompiled-ajv.ts)');
    },
  };
}
