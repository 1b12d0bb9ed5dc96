import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, mergePatchBetween } from '../../lib/merge-patch.ts';

describe('JSON merge patch (RFC 7396)', () => {
  it('applies: objects merge, null deletes, anything else replaces', () => {
    expect(applyMergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({
      a: 'z',
      c: { d: 'e' },
    });
    expect(applyMergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(applyMergePatch('text', { a: 1 })).toEqual({ a: 1 });
    expect(applyMergePatch({ a: 1 }, 'replaced')).toBe('replaced');
  });

  it('finds the patch between two configs, empty when nothing changed', () => {
    const before = { policy: { minConfidence: 0.6, maxCostUsd: 0.01 }, fields: ['a'] };
    expect(mergePatchBetween(before, structuredClone(before))).toEqual({});
    expect(mergePatchBetween(before, { policy: { minConfidence: 0.4, maxCostUsd: 0.01 } })).toEqual({
      policy: { minConfidence: 0.4 },
      fields: null,
    });
  });

  // A merge patch cannot set a value to null (null deletes), so the round trip holds without nulls.
  const hasNull = (value: unknown): boolean =>
    value === null || (typeof value === 'object' && Object.values(value).some(hasNull));

  it('treats keys that name Object.prototype members as data', () => {
    const before = JSON.parse('{"toString": 1, "a": {"__proto__": "x"}}') as Record<string, unknown>;
    const after = JSON.parse('{"a": {"__proto__": "y", "constructor": 2}}') as Record<string, unknown>;
    const patch = mergePatchBetween(before, after);
    expect(JSON.stringify(patch)).toBe('{"toString":null,"a":{"__proto__":"y","constructor":2}}');
    const applied = applyMergePatch(before, patch) as Record<string, unknown>;
    expect(JSON.stringify(applied)).toBe(JSON.stringify(after));
    expect(Object.getPrototypeOf(applied.a)).toBe(Object.prototype);
  });

  it('applying the patch between two objects gives the second', () => {
    const json = fc.jsonValue().filter((v) => !hasNull(v));
    const object = fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(json, fc.dictionary(fc.string(), json)));
    fc.assert(
      fc.property(object, object, (a, b) => {
        // Through JSON, as configs travel: -0 is 0 there.
        const [before, after]: Record<string, unknown>[] = JSON.parse(JSON.stringify([a, b]));
        expect(applyMergePatch(before, mergePatchBetween(before!, after!))).toEqual(after);
      }),
    );
  });
});
