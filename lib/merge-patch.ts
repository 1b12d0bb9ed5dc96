// JSON Merge Patch (RFC 7396), both ways: apply a patch, and the patch between two objects.
// Pure and dependency-free, so the control plane (which applies) and the editor (which sends
// the difference a person made) share one reading of the RFC.

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Keys are data, whatever they spell: "__proto__" or "constructor" is read and written as an own
// property, never as the prototype (an assignment to "__proto__" would replace it and lose the key).
const own = (object: JsonObject, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);
const put = (object: JsonObject, key: string, value: unknown): void => {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
};

/** `patch` applied to `target`: objects merge, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const base: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else put(base, key, applyMergePatch(own(base, key), value));
  }
  return base;
}

/** The merge patch that turns `before` into `after`; empty when they are equal. */
export function mergePatchBetween(before: JsonObject, after: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) put(patch, key, null);
  for (const [key, value] of Object.entries(after)) {
    const old = own(before, key);
    if (isObject(old) && isObject(value)) {
      const inner = mergePatchBetween(old, value);
      if (Object.keys(inner).length > 0) put(patch, key, inner);
    } else if (!Object.hasOwn(before, key) || JSON.stringify(old) !== JSON.stringify(value)) put(patch, key, value);
  }
  return patch;
}
