import type { ErrorObject } from 'ajv';

// Ajv's errors as the API reports them. No Ajv instance here: the editor uses this with
// validators the server compiled, under a CSP that forbids compiling in the page.

export interface FieldError {
  /** JSON pointer of the offending field, e.g. `/nodes/2/config/timeoutMs`. */
  pointer: string;
  message: string;
}

/** Ajv errors as `{pointer, message}`, with the missing property named for `required` errors. */
export function fieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).map((error) => {
    const missing =
      error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
    const extra =
      error.keyword === 'additionalProperties'
        ? (error.params as { additionalProperty: string }).additionalProperty
        : undefined;
    const pointer = `${prefix}${error.instancePath}${missing ? `/${missing}` : ''}${extra ? `/${extra}` : ''}`;
    const message = extra ? `is not an allowed property` : (error.message ?? 'is invalid');
    return { pointer: pointer || '/', message };
  });
}
