// Keyset paging shared by the store's list functions: opaque cursors, stable under inserts
// (no offset drift).

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** created_at as PostgreSQL prints it: microseconds kept, so a keyset cursor never skips a row. */
export type WithCursor<Row> = Row & { cursor_at: string };

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('cursor is not valid');
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== size ||
    !parts.every((part): part is string => typeof part === 'string')
  )
    throw new RangeError('cursor is not valid');
  return parts;
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 50), 1), 500);
}

export function page<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursorOf: (row: Row) => string[],
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(cursorOf(last)) } : {}),
  };
}
