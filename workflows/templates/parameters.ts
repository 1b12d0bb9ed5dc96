// Parameters of a template: defaults from its schema, then `{ "$param": "name" }` placeholders
// in node configs replaced by value. Placeholders are whole JSON values, never string splicing.
// `{ "$param": "name", "otherwise": <value> }` takes <value> (itself maybe a placeholder) when the
// parameter is not given: e.g. a trigger's source is the mail account if one is named, else a webhook source.

type Json = unknown;

export const PARAM_KEY = '$param';
export const OTHERWISE_KEY = 'otherwise';

interface Placeholder {
  name: string;
  /** What to use when the parameter is not given; absent when nothing is. */
  otherwise?: { value: Json };
}

/** `{ "$param": "name" }`, optionally with `"otherwise"`, and nothing else; else undefined. */
function placeholderOf(value: Json): Placeholder | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const name = record[PARAM_KEY];
  if (typeof name !== 'string') return undefined;
  const keys = Object.keys(record).filter((key) => key !== PARAM_KEY);
  if (keys.length === 0) return { name };
  if (keys.length === 1 && keys[0] === OTHERWISE_KEY) return { name, otherwise: { value: record[OTHERWISE_KEY] } };
  return undefined;
}

/** The parameter a placeholder names, else undefined. */
export function placeholderName(value: Json): string | undefined {
  return placeholderOf(value)?.name;
}

/** Every parameter name a value refers to, in order of appearance (fallbacks included). */
export function placeholdersIn(value: Json, found: string[] = []): string[] {
  const placeholder = placeholderOf(value);
  if (placeholder) {
    found.push(placeholder.name);
    if (placeholder.otherwise) placeholdersIn(placeholder.otherwise.value, found);
  } else if (Array.isArray(value)) for (const item of value) placeholdersIn(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) placeholdersIn(item, found);
  return found;
}

/** The given parameters with each absent top-level property set to its schema `default`. */
export function withDefaults(schema: { properties?: Record<string, unknown> }, given: Record<string, unknown>) {
  const values: Record<string, unknown> = { ...given };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const fallback = (property as { default?: unknown } | undefined)?.default;
    if (values[name] === undefined && fallback !== undefined) values[name] = structuredClone(fallback);
  }
  return values;
}

const ABSENT = Symbol('absent');

/**
 * A copy of `value` with every placeholder replaced. A placeholder whose parameter is absent
 * (optional, no default) drops its property, so the node's own default applies; inside an
 * array that would shift items, so it is an error there.
 */
export function substitute(value: Json, parameters: Record<string, unknown>, pointer = ''): Json {
  const result = substituteOrAbsent(value, parameters, pointer);
  if (result === ABSENT) throw new Error(`${pointer || '/'} needs a parameter that was not given`);
  return result;
}

function substituteOrAbsent(value: Json, parameters: Record<string, unknown>, pointer: string): unknown {
  const placeholder = placeholderOf(value);
  if (placeholder) {
    const given = parameters[placeholder.name];
    if (given !== undefined) return structuredClone(given);
    return placeholder.otherwise ? substituteOrAbsent(placeholder.otherwise.value, parameters, pointer) : ABSENT;
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, parameters, `${pointer}/${index}`));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, substituteOrAbsent(item, parameters, `${pointer}/${key}`)] as const,
    );
    return Object.fromEntries(entries.filter(([, item]) => item !== ABSENT));
  }
  return value;
}
