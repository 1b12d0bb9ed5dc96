import type { ValidateFunction } from 'ajv';
import { ajv, fieldErrors } from '../../schemas/ajv.ts';
import { NodeInputError } from '../sdk/context.ts';

// A tool's input schema comes from the server at run time, as a new object each call: compiled
// validators are kept by the schema's text (a few, the oldest dropped) so Ajv does not grow.
const KEEP = 100;
const validators = new Map<string, { schema: object; validate: ValidateFunction }>();

function validatorOf(inputSchema: Record<string, unknown>): ValidateFunction {
  // Servers often declare draft-07 (`$schema`); the keywords tools use read the same under 2020-12,
  // and an `$id` would clash with the next compile of the same schema.
  const { $schema: _draft, $id: _id, ...schema } = inputSchema;
  const key = JSON.stringify(schema);
  const kept = validators.get(key);
  if (kept) return kept.validate;
  const validate = ajv.compile(schema);
  validators.set(key, { schema, validate });
  if (validators.size > KEEP) {
    const [oldestKey, oldest] = validators.entries().next().value!;
    validators.delete(oldestKey);
    ajv.removeSchema(oldest.schema);
  }
  return validate;
}

/** Checks a tool's arguments against its input schema; a NodeInputError names each bad field. */
export function assertToolArguments(tool: string, inputSchema: Record<string, unknown>, args: unknown): void {
  let validate: ValidateFunction;
  try {
    validate = validatorOf(inputSchema);
  } catch (error) {
    throw new NodeInputError(`the input schema of tool "${tool}" cannot be used: ${(error as Error).message}`);
  }
  if (validate(args)) return;
  const errors = fieldErrors(validate.errors, '/arguments');
  throw new NodeInputError(
    `the arguments of tool "${tool}" are invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
  );
}
