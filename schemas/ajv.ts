import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { eventSchema } from './event.ts';
import { executionPlanSchema } from './execution-plan.ts';
import { fieldErrors, type FieldError } from './field-errors.ts';
import { invoiceSchema } from './invoice.ts';
import { ledgerEntrySchema } from './ledger-entry.ts';
import { memoryRecordSchema } from './memory-record.ts';
import { modelPolicySchema } from './model-policy.ts';
import { nodeDefinitionSchema } from './node-definition.ts';
import { reviewDecisionInputSchema, reviewTaskSchema } from './review-task.ts';
import { workflowGraphSchema } from './workflow-graph.ts';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Every contract with an `$id`, registered once in the one Ajv instance. */
export const contractSchemas = [
  eventSchema,
  memoryRecordSchema,
  reviewTaskSchema,
  reviewDecisionInputSchema,
  invoiceSchema,
  ledgerEntrySchema,
  modelPolicySchema,
  nodeDefinitionSchema,
  workflowGraphSchema,
  executionPlanSchema,
] as const;

/** The one Ajv instance (draft 2020-12, formats) that server, worker and editor share. */
export const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(ajv);
for (const schema of contractSchemas) ajv.addSchema(schema);

const compiled = new WeakMap<object, ValidateFunction>();

/** A compiled validator for a schema object, compiled once; contracts resolve by `$id`. */
export function validatorFor(schema: object): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const id = (schema as { $id?: string }).$id;
  const validate = (id && ajv.getSchema(id)) || ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
}

// Kept apart (pure, no Ajv instance) so the editor can use it without compiling anything.
export { fieldErrors, type FieldError };

export class ValidationError extends Error {
  readonly errors: FieldError[];
  constructor(what: string, errors: FieldError[]) {
    super(`${what} is invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/** Validates and narrows, or throws a ValidationError naming each bad field. */
export function assertValid<T>(schema: object, value: unknown, what: string, prefix = ''): asserts value is T {
  const validate = validatorFor(schema);
  if (!validate(value)) throw new ValidationError(what, fieldErrors(validate.errors, prefix));
}
