import { describe, expect, it } from 'vitest';
import { deterministicRecordId, objectUuid } from '../../memory/record-id.ts';
import {
  assertDistinctIds,
  completeRecord,
  flatFromRecord,
  isHumanEdit,
  recordFromFlat,
} from '../../memory/records.ts';
import type { NewMemoryRecord } from '../../memory/types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const input: NewMemoryRecord = {
  text: 'Client approved the teal palette.',
  kind: 'decision',
  projectId: 'northwind-brand',
  source: { uri: 'mailto:priya@northwind.example/123', version: '1' },
  confidence: 0.9,
  provenance: { workflowId: 'run-1', nodeId: 'remember' },
};

describe('deterministicRecordId', () => {
  it('is a UUID that depends only on source, version, provenance and text', () => {
    const id = deterministicRecordId(input);
    expect(id).toMatch(UUID);
    const lessSure: NewMemoryRecord = { ...input, confidence: 0.1 };
    expect(deterministicRecordId(lessSure)).toBe(id);
    expect(deterministicRecordId({ ...input, text: 'Client rejected the teal palette.' })).not.toBe(id);
    expect(deterministicRecordId({ ...input, source: { ...input.source, version: '2' } })).not.toBe(id);
    expect(deterministicRecordId({ ...input, provenance: { workflowId: 'run-2', nodeId: 'remember' } })).not.toBe(id);
    expect(deterministicRecordId({ ...input, provenance: { ...input.provenance, reviewer: 'owner' } })).not.toBe(id);
  });
});

describe('objectUuid', () => {
  it('keeps a UUID and maps any other id to a stable UUID', () => {
    const uuid = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
    expect(objectUuid(uuid)).toBe(uuid);
    expect(objectUuid('acme-invoice-1')).toMatch(UUID);
    expect(objectUuid('acme-invoice-1')).toBe(objectUuid('acme-invoice-1'));
    expect(objectUuid('acme-invoice-1')).not.toBe(objectUuid('acme-invoice-2'));
  });
});

describe('completeRecord', () => {
  it('fills id, createdAt and embeddingModel and writes instants as ISO', () => {
    const record = completeRecord(
      { ...input, validTo: '2025-01-01T01:00:00+01:00' },
      'use-lite-en-512',
      '2024-06-01T10:00:00.000Z',
    );
    expect(record).toMatchObject({
      id: deterministicRecordId(input),
      createdAt: '2024-06-01T10:00:00.000Z',
      validTo: '2025-01-01T00:00:00.000Z',
      embeddingModel: 'use-lite-en-512',
    });
  });

  it('rejects a record the MemoryRecord schema rejects', () => {
    expect(() => completeRecord({ ...input, kind: 'gossip' as never }, 'm', '2024-06-01T10:00:00Z')).toThrow();
    expect(() => completeRecord({ ...input, text: '' }, 'm', '2024-06-01T10:00:00Z')).toThrow();
    expect(() => completeRecord({ ...input, confidence: 2 }, 'm', '2024-06-01T10:00:00Z')).toThrow();
  });

  it('refuses a batch that names one id twice', () => {
    const record = completeRecord(input, 'm', '2024-06-01T10:00:00Z');
    expect(() => assertDistinctIds([record, record])).toThrow(/twice/);
  });
});

describe('flat records', () => {
  it('round-trip, leaving absent optional fields out', () => {
    const record = completeRecord(input, 'm', '2024-06-01T10:00:00Z');
    const flat = flatFromRecord(record);
    expect(flat.clientId).toBeNull();
    expect(flat.reviewer).toBeNull();
    expect(recordFromFlat(flat)).toEqual(record);
  });

  it('marks reviewer-written records and corrections as human edits', () => {
    expect(isHumanEdit(input)).toBe(false);
    expect(isHumanEdit({ ...input, provenance: { ...input.provenance, reviewer: 'owner' } })).toBe(true);
    expect(isHumanEdit({ ...input, kind: 'correction' })).toBe(true);
  });
});
