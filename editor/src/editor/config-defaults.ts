import { getDefaultFormState, type RJSFSchema } from '@rjsf/utils';
import { formValidator } from '../ui/schema-form.tsx';

/** A new node's config: the defaults its schema declares, filled the way the form would fill them. */
export function defaultConfig(schema: object): Record<string, unknown> {
  const defaults: unknown = getDefaultFormState(formValidator, schema as RJSFSchema, {}, schema as RJSFSchema);
  return (defaults ?? {}) as Record<string, unknown>;
}
