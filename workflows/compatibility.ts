// Structural compatibility of JSON Schemas: can every value the source port produces be
// accepted by the target port? Shared by the server's graph validation and the editor's
// isValidConnection, so both refuse the same edges for the same reason. Pure, browser-safe.

type Schema = boolean | Record<string, unknown>;

export type Compatibility = { ok: true; warning?: string } | { ok: false; reason: string; path: string };

/** Looks up a schema by `$ref` (contract `$id`s); unresolvable refs are treated as untyped. */
export type RefResolver = (ref: string) => Schema | undefined;

const STRUCTURAL = ['type', 'enum', 'const', 'properties', 'required', 'items', 'anyOf', 'oneOf', 'allOf', '$ref'];

function isObject(schema: Schema): schema is Record<string, unknown> {
  return typeof schema === 'object' && schema !== null;
}

/** A schema that says nothing about shape accepts (or may produce) any value. */
function isUntyped(schema: Schema): boolean {
  return schema === true || (isObject(schema) && !STRUCTURAL.some((key) => key in schema));
}

function typesOf(schema: Record<string, unknown>): Set<string> | undefined {
  const declared = schema.type;
  if (declared === undefined) {
    if ('const' in schema) return new Set([jsonType(schema.const)]);
    if (Array.isArray(schema.enum)) return new Set((schema.enum as unknown[]).map(jsonType));
    if ('properties' in schema) return new Set(['object']);
    if ('items' in schema) return new Set(['array']);
    return undefined;
  }
  return new Set(Array.isArray(declared) ? (declared as string[]) : [declared as string]);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function typeAccepts(target: Set<string>, sourceType: string): boolean {
  return target.has(sourceType) || (sourceType === 'integer' && target.has('number'));
}

function valuesOf(schema: Record<string, unknown>): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum as unknown[];
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(values: unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

const ok: Compatibility = { ok: true };

function fail(path: string, reason: string): Compatibility {
  return { ok: false, path: path || '/', reason };
}

function resolveRefs(schema: Schema, resolve: RefResolver | undefined, depth = 0): Schema {
  if (!isObject(schema) || typeof schema.$ref !== 'string' || depth > 20) return schema;
  const target = resolve?.(schema.$ref);
  if (target === undefined) return true;
  const { $ref: _ref, ...rest } = schema;
  const merged = isObject(target) ? { ...target, ...rest } : target;
  return resolveRefs(merged, resolve, depth + 1);
}

/**
 * Checks that `source` (what an output port produces) fits `target` (what an input port
 * accepts). Keyword-level constraints (patterns, ranges, formats) are left to Ajv at run
 * time; the check is about shape: types, constants, required properties, items, closed objects.
 */
export function checkCompatibility(source: Schema, target: Schema, resolve?: RefResolver, path = ''): Compatibility {
  const src = resolveRefs(source, resolve);
  const tgt = resolveRefs(target, resolve);
  if (tgt === false) return fail(path, 'the input accepts nothing');
  if (isUntyped(tgt)) return ok;
  if (src === false) return ok;
  if (isUntyped(src))
    return { ok: true, warning: `${path || '/'}: the output is untyped; the input is checked when the run gets there` };
  if (!isObject(src) || !isObject(tgt)) return ok;

  // A union produces any of its branches: each must fit.
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(src[key])) {
      const { [key]: branches, ...base } = src;
      for (const branch of branches as Schema[]) {
        const result = checkCompatibility(isObject(branch) ? { ...base, ...branch } : branch, tgt, resolve, path);
        if (!result.ok) return result;
      }
      return ok;
    }
  }
  // A union accepts a value if one of its branches does.
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(tgt[key])) {
      const { [key]: branches, ...base } = tgt;
      const results = (branches as Schema[]).map((branch) =>
        checkCompatibility(src, isObject(branch) ? { ...base, ...branch } : branch, resolve, path),
      );
      return results.find((result) => result.ok) ?? results[0] ?? ok;
    }
  }
  if (Array.isArray(tgt.allOf)) {
    for (const part of tgt.allOf as Schema[]) {
      const result = checkCompatibility(src, part, resolve, path);
      if (!result.ok) return result;
    }
  }

  const targetTypes = typesOf(tgt);
  const sourceTypes = typesOf(src);
  if (targetTypes && sourceTypes) {
    const misfit = [...sourceTypes].find((type) => !typeAccepts(targetTypes, type));
    if (misfit) return fail(path, `the output produces ${misfit} where ${[...targetTypes].join(' or ')} is expected`);
  } else if (targetTypes && !sourceTypes) {
    return { ok: true, warning: `${path || '/'}: the output's type is not declared` };
  }

  const targetValues = valuesOf(tgt);
  if (targetValues) {
    const sourceValues = valuesOf(src);
    if (!sourceValues)
      return fail(
        path,
        `the output may produce any ${[...(sourceTypes ?? [])].join('/')}, but only ${describe(targetValues)} is accepted`,
      );
    const stray = sourceValues.filter((value) => !targetValues.some((allowed) => same(allowed, value)));
    if (stray.length > 0)
      return fail(path, `the output may produce ${describe(stray)}, which is not accepted (${describe(targetValues)})`);
  }

  if (targetTypes?.has('object') && sourceTypes?.has('object')) {
    const result = checkObject(src, tgt, resolve, path);
    if (!result.ok) return result;
  }
  if (targetTypes?.has('array') && sourceTypes?.has('array') && tgt.items !== undefined) {
    const result = checkCompatibility(
      (src.items as Schema | undefined) ?? true,
      tgt.items as Schema,
      resolve,
      `${path}/items`,
    );
    if (!result.ok) return result;
  }
  return ok;
}

function checkObject(
  src: Record<string, unknown>,
  tgt: Record<string, unknown>,
  resolve: RefResolver | undefined,
  path: string,
): Compatibility {
  const srcProps = (src.properties ?? {}) as Record<string, Schema>;
  const tgtProps = (tgt.properties ?? {}) as Record<string, Schema>;
  const srcRequired = new Set((src.required ?? []) as string[]);
  for (const name of (tgt.required ?? []) as string[]) {
    if (!srcRequired.has(name)) {
      const where = `${path}/${name}`;
      return fail(
        where,
        name in srcProps
          ? `"${name}" is optional in the output but required by the input`
          : `the output has no "${name}", which the input requires`,
      );
    }
  }
  for (const [name, targetSchema] of Object.entries(tgtProps)) {
    if (!(name in srcProps)) continue;
    const result = checkCompatibility(srcProps[name] ?? true, targetSchema, resolve, `${path}/${name}`);
    if (!result.ok) return result;
  }
  if (tgt.additionalProperties === false) {
    const extra = Object.keys(srcProps).filter((name) => !(name in tgtProps));
    if (extra.length > 0) return fail(`${path}/${extra[0]}`, `the input does not allow "${extra[0]}"`);
    if (src.additionalProperties !== false) {
      return { ok: true, warning: `${path || '/'}: the output may carry properties the input does not allow` };
    }
  }
  return ok;
}
