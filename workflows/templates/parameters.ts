// Parameters of a template: defaults from its schema, then `{ "$param": "name" }` placeholders
// in node configs replaced by value. Placeholders are whole JSON values, never string splicing.

type Json = unknown;

export const PARAM_KEY = '$param';

/** `{ "$param": "name" }` and nothing else: the name, else undefined. */
export function placeholderName(value: Json): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>)[PARAM_KEY];
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

/** Every parameter name a value refers to, in order of appearance. */
export function placeholdersIn(value: Json, found: string[] = []): string[] {
  const name = placeholderName(value);
  if (name !== undefined) found.push(name);
  else if (Array.isArray(value)) for (const item of value) placeholdersIn(item, found);
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
  const name = placeholderName(value);
  if (name !== undefined) {
    const given = parameters[name];
    return given === undefined ? ABSENT : structuredClone(given);
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
