// Stands in for schemas/ajv.ts in the editor's build (editor/build/precompiled-ajv.ts), so the
// shared graph validation (workflows/validate.ts) runs without compiling in the page: the
// WorkflowGraph contract is compiled at build time, node config schemas by the server when the
// editor opens (preloadConfigValidators). Same exports as schemas/ajv.ts that validate.ts uses.
import type { CompiledValidateFunction } from '@rjsf/validator-ajv8';
import loadGraphValidator from 'virtual:workflow-graph-validator';
import { workflowGraphSchema } from '../../../schemas/workflow-graph.ts';
import { loadedRootFunction, loadFormValidator, requireRuntime } from '../ui/form-validators.ts';

export { fieldErrors, type FieldError } from '../../../schemas/field-errors.ts';

const graphValidator = (loadGraphValidator(requireRuntime) as { default: CompiledValidateFunction }).default;

/** Until a config schema's validator has arrived, its configs are not checked here (the server checks them on save). */
const notYetChecked: CompiledValidateFunction = Object.assign(() => true, { errors: null });

export function validatorFor(schema: object): CompiledValidateFunction {
  if (schema === workflowGraphSchema) return graphValidator;
  const loaded = loadedRootFunction(schema);
  if (loaded) return loaded;
  void loadFormValidator(schema).catch(() => {});
  return notYetChecked;
}

/** Loads the validators of every node type's config, so the graph check covers configs from the first draw. */
export async function preloadConfigValidators(schemas: object[]): Promise<void> {
  await Promise.all(schemas.map((schema) => loadFormValidator(schema)));
}
