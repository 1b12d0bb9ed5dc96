import { Filters, type Collection, type FilterValue } from 'weaviate-client';
import type { MemoryFilters } from './types.ts';
import type { MemoryProperties } from './weaviate-schema.ts';

type MemoryCollection = Collection<MemoryProperties>;

/** Not ended at `instant`: no validTo, or a validTo after it. */
export function openAt(collection: MemoryCollection, instant: string): FilterValue {
  const validTo = collection.filter.byProperty('validTo');
  return Filters.or(validTo.isNull(true), validTo.greaterThan(new Date(instant)));
}

/** The Weaviate form of MemoryFilters (already canonical); `now` decides what "current" means. */
export function weaviateFilters(collection: MemoryCollection, filters: MemoryFilters, now: string): FilterValue {
  const by = collection.filter;
  const parts: FilterValue[] = [];
  if (filters.projectId !== undefined) parts.push(by.byProperty('projectId').equal(filters.projectId));
  if (filters.clientId !== undefined) parts.push(by.byProperty('clientId').equal(filters.clientId));
  if (filters.sourceUri !== undefined) parts.push(by.byProperty('sourceUri').equal(filters.sourceUri));
  if (filters.kinds !== undefined) parts.push(by.byProperty('kind').containsAny(filters.kinds));
  const createdAt = by.byProperty('createdAt');
  if (filters.createdAfter) parts.push(createdAt.greaterOrEqual(new Date(filters.createdAfter)));
  if (filters.createdBefore) parts.push(createdAt.lessThan(new Date(filters.createdBefore)));
  if (filters.asOf) {
    parts.push(createdAt.lessOrEqual(new Date(filters.asOf)), openAt(collection, filters.asOf));
  } else {
    parts.push(openAt(collection, now));
  }
  return parts.length === 1 ? parts[0]! : Filters.and(...parts);
}
