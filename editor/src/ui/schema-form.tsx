// Forms generated from JSON Schema by @rjsf/core, validated by its Ajv 8 validator (draft 2020-12,
// like the server's), precompiled by the server (./form-validators.ts) so the page never evals.
// Every form in the app goes through here so they look and behave alike.
import Form, { type IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import type { ErrorObject } from 'ajv';
import { useMemo, type ReactNode } from 'react';
import { useFormValidator } from './form-validators.ts';

export type FormValue = Record<string, unknown>;

export interface FieldProblem {
  /** JSON pointer into the form's value, e.g. `/timeoutMinutes`. */
  pointer?: string;
  message: string;
}

/** `{pointer, message}` pairs as rjsf's ErrorSchema, so server errors land on the field they name. */
export function errorSchemaOf(problems: FieldProblem[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    const path = (problem.pointer ?? '')
      .split('/')
      .filter(Boolean)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    for (const part of path) node = (node[part] ??= {}) as Record<string, unknown>;
    const errors = (node.__errors ??= []) as string[];
    errors.push(problem.message);
  }
  return root as ErrorSchema;
}

/** Problems the form's own validation does not already show at that field (the server says the same). */
function newProblems(
  problems: FieldProblem[],
  validator: ValidatorType,
  schema: object,
  value: unknown,
): FieldProblem[] {
  if (problems.length === 0) return problems;
  const raw = validator.rawValidation<ErrorObject>(schema, value);
  const shown = new Set(
    (raw.errors ?? []).map((error) => {
      const missing =
        error.keyword === 'required' ? `/${(error.params as { missingProperty: string }).missingProperty}` : '';
      return `${error.instancePath}${missing}|${error.message ?? ''}`;
    }),
  );
  return problems.filter((problem) => !shown.has(`${problem.pointer ?? ''}|${problem.message}`));
}

/** Long text gets a text area: anything that may exceed a line (maxLength ≥ 500, or a long default). */
function widgetsFor(schema: unknown): UiSchema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const properties = (schema as { properties?: Record<string, Record<string, unknown>> }).properties;
  if (!properties) return undefined;
  const ui: UiSchema = {};
  for (const [name, property] of Object.entries(properties)) {
    const long =
      property.type === 'string' &&
      property.enum === undefined &&
      property.format === undefined &&
      ((typeof property.maxLength === 'number' && property.maxLength >= 500) ||
        (typeof property.default === 'string' && property.default.length > 60));
    if (long) ui[name] = { 'ui:widget': 'textarea', 'ui:options': { rows: 3 } };
    else if (property.type === 'object') {
      const nested = widgetsFor(property);
      if (nested) ui[name] = nested;
    }
  }
  return Object.keys(ui).length > 0 ? ui : undefined;
}

const hideSubmit: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

export function SchemaForm({
  id,
  schema,
  value,
  onChange,
  onSubmit,
  problems = [],
  liveValidate = true,
  uiSchema,
  children,
}: {
  id: string;
  schema: object;
  value: unknown;
  onChange?: (value: FormValue, valid: boolean) => void;
  onSubmit?: (value: FormValue) => void;
  /** Errors from the server, by pointer into the value: shown on their fields. */
  problems?: FieldProblem[];
  liveValidate?: boolean;
  /** Labels and widgets the schema cannot say (names for ids, field order); merged over the defaults. */
  uiSchema?: UiSchema;
  children?: ReactNode;
}) {
  const ui = useMemo(() => ({ ...hideSubmit, ...widgetsFor(schema), ...uiSchema }), [schema, uiSchema]);
  const { validator, problem } = useFormValidator(schema);
  if (!validator)
    return problem ? (
      <p className="error-text" role="alert">
        This form cannot be shown: {problem}
      </p>
    ) : (
      <p className="muted">Loading form…</p>
    );
  const extra = newProblems(problems, validator, schema, value);
  return (
    <Form
      idPrefix={id}
      className="schema-form"
      schema={schema}
      uiSchema={ui}
      formData={value}
      validator={validator}
      liveValidate={liveValidate ? 'onChange' : false}
      showErrorList={false}
      noHtml5Validate
      {...(extra.length > 0 ? { extraErrors: errorSchemaOf(extra) } : {})}
      onChange={(event: IChangeEvent) => onChange?.(event.formData as FormValue, event.errors.length === 0)}
      onSubmit={(event: IChangeEvent) => onSubmit?.(event.formData as FormValue)}
    >
      {children}
    </Form>
  );
}
