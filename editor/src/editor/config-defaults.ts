import { getDefaultFormState, type RJSFSchema, type ValidatorType } from '@rjsf/utils';
import { loadedFormValidator } from '../ui/form-validators.ts';

/**
 * For a schema whose validator is not loaded yet: defaults need a validator only to pick among
 * `if`/`oneOf`/`anyOf` branches by the data, and a new node has none, so no branch is taken.
 */
const noData: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => false,
  rawValidation: () => ({}),
  reset: () => {},
};

/** A new node's config: the defaults its schema declares, filled the way the form would fill them. */
export function defaultConfig(schema: object): Record<string, unknown> {
  const validator = loadedFormValidator(schema) ?? noData;
  const defaults: unknown = getDefaultFormState(validator, schema as RJSFSchema, {}, schema as RJSFSchema);
  return (defaults ?? {}) as Record<string, unknown>;
}
