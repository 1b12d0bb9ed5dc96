import type { FieldError } from '../../../schemas/ajv.ts';

// What a parsed JSON body may not carry into the event store, found without recursion (a body
// nested thousands of levels deep must not overflow the stack on the way to being refused):
// nesting deeper than MAX_JSON_DEPTH, and the NUL character, which PostgreSQL text and jsonb
// cannot hold and which would otherwise have to be removed, altering the body unseen.

export const MAX_JSON_DEPTH = 64;

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/** The first problem found (depth first, then NUL), as a rejection reason and the field at fault under `prefix`. */
export function jsonProblem(value: unknown, prefix = '/content'): { reason: string; error: FieldError } | undefined {
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: '', depth: 0 }];
  let nul: string | undefined;
  while (stack.length > 0) {
    const { value: item, pointer, depth } = stack.pop()!;
    if (typeof item === 'string') {
      if (nul === undefined && item.includes('\u0000')) nul = pointer;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return {
        reason: 'nested too deeply',
        error: { pointer: `${prefix}${pointer}`, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` },
      };
    }
    const entries: [string, unknown][] = Array.isArray(item)
      ? item.map((child, index) => [String(index), child])
      : Object.entries(item);
    for (const [key, child] of entries) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (nul === undefined && key.includes('\u0000')) nul = at;
      stack.push({ value: child, pointer: at, depth: depth + 1 });
    }
  }
  if (nul === undefined) return undefined;
  return {
    reason: 'contains the NUL character',
    error: {
      pointer: `${prefix}${nul}`,
      message: 'contains the NUL character (U+0000), which cannot be stored unaltered: send the text without it',
    },
  };
}
