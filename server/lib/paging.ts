import type { Page } from '../../store/paging.ts';
import { badRequest } from './http-errors.ts';

/** A store's page as the API sends it: `{ <items>: [...], nextCursor? }`. */
export function pageReply<T, K extends string>(key: K, page: Page<T>): Record<K, T[]> & { nextCursor?: string } {
  return { [key]: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } as Record<K, T[]> & {
    nextCursor?: string;
  };
}

/** A cursor the store cannot read is the caller's mistake: 400 naming it. */
export async function withCursorErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message, '/query/cursor');
    throw error;
  }
}
