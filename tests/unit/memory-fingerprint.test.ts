import { describe, expect, it } from 'vitest';
import { normaliseQuery, queryFingerprint, type FingerprintParts } from '../../memory/fingerprint.ts';
import { initialIndexVersion, nextIndexVersion } from '../../memory/index-version.ts';
import { canonicalFilters, candidateCount, resolveSearchOptions } from '../../memory/search-options.ts';

const base: FingerprintParts = {
  query: 'when is the launch',
  filters: canonicalFilters({ projectId: 'p1', kinds: ['decision', 'message'] }),
  k: 8,
  alpha: 0.5,
  embeddingModel: 'use-lite-en-512',
  indexVersion: 'abc',
};

describe('normaliseQuery', () => {
  it('trims, collapses whitespace and lower-cases', () => {
    expect(normaliseQuery('  When IS\tthe\n\nLaunch?  ')).toBe('when is the launch?');
  });
});

describe('queryFingerprint', () => {
  it('is a sha256 hex digest that ignores spacing and case of the query', () => {
    const fingerprint = queryFingerprint(base);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(queryFingerprint({ ...base, query: '  WHEN is   the LAUNCH ' })).toBe(fingerprint);
  });

  it('is the same for filters that mean the same', () => {
    const reordered = canonicalFilters({ kinds: ['message', 'decision', 'message'], projectId: 'p1' });
    expect(queryFingerprint({ ...base, filters: reordered })).toBe(queryFingerprint(base));
    const a = canonicalFilters({ asOf: '2024-05-01T10:00:00+02:00' });
    const b = canonicalFilters({ asOf: '2024-05-01T08:00:00.000Z' });
    expect(queryFingerprint({ ...base, filters: a })).toBe(queryFingerprint({ ...base, filters: b }));
  });

  it.each([
    ['query', { query: 'when is the invoice due' }],
    ['filters', { filters: canonicalFilters({ projectId: 'p2' }) }],
    ['k', { k: 9 }],
    ['alpha', { alpha: 0.4 }],
    ['embedding model', { embeddingModel: 'text-embedding-3-small' }],
    ['index version', { indexVersion: 'abd' }],
  ])('changes when the %s changes', (_name, change) => {
    expect(queryFingerprint({ ...base, ...change })).not.toBe(queryFingerprint(base));
  });
});

describe('canonicalFilters', () => {
  it('drops absent fields, sorts kinds and writes instants as ISO', () => {
    expect(canonicalFilters({ kinds: ['note', 'fact'], createdAfter: '2024-01-01', clientId: undefined })).toEqual({
      kinds: ['fact', 'note'],
      createdAfter: '2024-01-01T00:00:00.000Z',
    });
  });

  it('rejects unknown kinds and invalid dates', () => {
    expect(() => canonicalFilters({ kinds: ['gossip' as never] })).toThrow(/unknown memory kind/);
    expect(() => canonicalFilters({ asOf: 'yesterday' })).toThrow(/asOf is not a valid date-time/);
  });
});

describe('resolveSearchOptions', () => {
  it('fills defaults: k 8, alpha 0.5', () => {
    expect(resolveSearchOptions()).toEqual({ filters: {}, k: 8, alpha: 0.5, candidates: 40 });
  });

  it('rejects k outside 1..100 and alpha outside [0, 1]', () => {
    expect(() => resolveSearchOptions({ k: 0 })).toThrow(/k must be/);
    expect(() => resolveSearchOptions({ k: 101 })).toThrow(/k must be/);
    expect(() => resolveSearchOptions({ k: 2.5 })).toThrow(/k must be/);
    expect(() => resolveSearchOptions({ alpha: 1.1 })).toThrow(/alpha must be/);
    expect(() => resolveSearchOptions({ alpha: Number.NaN })).toThrow(/alpha must be/);
  });

  it('fetches more candidates than k, within bounds', () => {
    expect(candidateCount(1)).toBe(40);
    expect(candidateCount(20)).toBe(80);
    expect(candidateCount(100)).toBe(200);
  });
});

describe('index versions', () => {
  it('start distinct per backend and name, and chain deterministically', () => {
    const start = initialIndexVersion('pgvector', 'memory_records');
    expect(start).not.toBe(initialIndexVersion('weaviate', 'memory_records'));
    expect(start).not.toBe(initialIndexVersion('pgvector', 'other'));
    const next = nextIndexVersion(start, 'upsert', 'digest-1');
    expect(next).toMatch(/^[0-9a-f]{32}$/);
    expect(nextIndexVersion(start, 'upsert', 'digest-1')).toBe(next);
    expect(nextIndexVersion(start, 'upsert', 'digest-2')).not.toBe(next);
    expect(nextIndexVersion(start, 'delete', 'digest-1')).not.toBe(next);
  });
});
