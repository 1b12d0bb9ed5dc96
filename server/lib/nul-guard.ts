import type { FastifyRequest } from 'fastify';
import { badRequest } from './http-errors.ts';

// PostgreSQL text and jsonb cannot hold the NUL character: a name or value carrying one used to
// reach the database and fail there (500). No API field can be stored with it, so every JSON
// body, query and path parameter is checked before validation and refused with a 400 naming the
// field. Raw bodies (ingest's bytes, uploads) are not JSON values and are left to their routes.

const token = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The pointer of the first string (or key) holding U+0000, found without recursion. */
export function nulPointer(value: unknown): string | undefined {
  const stack: { value: unknown; pointer: string }[] = [{ value, pointer: '' }];
  while (stack.length > 0) {
    const { value: item, pointer } = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return pointer;
      continue;
    }
    if (item === null || typeof item !== 'object' || Buffer.isBuffer(item)) continue;
    const entries: [string, unknown][] = Array.isArray(item)
      ? item.map((child, index) => [String(index), child])
      : Object.entries(item);
    for (const [key, child] of entries) {
      if (key.includes('\u0000')) return `${pointer}/${token(key)}`;
      stack.push({ value: child, pointer: `${pointer}/${token(key)}` });
    }
  }
  return undefined;
}

/** preValidation hook for the /api scope. */
export async function refuseNul(request: FastifyRequest): Promise<void> {
  const parts: [string, unknown][] = [
    ['/params', request.params],
    ['/query', request.query],
    ['', request.body],
  ];
  for (const [prefix, value] of parts) {
    const pointer = nulPointer(value);
    if (pointer !== undefined)
      throw badRequest(`${prefix}${pointer} may not contain the NUL character (U+0000)`, `${prefix}${pointer}`);
  }
  return Promise.resolve();
}
