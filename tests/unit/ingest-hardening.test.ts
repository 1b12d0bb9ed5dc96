import { describe, expect, it } from 'vitest';
import { jsonProblem, MAX_JSON_DEPTH } from '../../nodes/ingest/parse/json-limits.ts';
import { HttpError } from '../../server/lib/http-errors.ts';
import { nulPointer } from '../../server/lib/nul-guard.ts';
import { decodePageToken, encodePageToken } from '../../server/lib/page-token.ts';

const nested = (levels: number) => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) as unknown;

describe('JSON limits at ingest', () => {
  it(`takes ${MAX_JSON_DEPTH} levels of nesting and refuses one more, naming where`, () => {
    expect(jsonProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    const problem = jsonProblem(nested(MAX_JSON_DEPTH + 1));
    expect(problem?.reason).toBe('nested too deeply');
    expect(problem?.error.pointer).toBe(`/content${'/0'.repeat(MAX_JSON_DEPTH)}`);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonProblem(nested(100_000))?.reason).toBe('nested too deeply');
  });

  it('names a NUL in a value or a key, escaping the pointer', () => {
    expect(jsonProblem({ a: { 'b/c': 'x\u0000' } })?.error.pointer).toBe('/content/a/b~1c');
    expect(jsonProblem({ 'k\u0000': 1 })?.error.pointer).toBe('/content/k\u0000');
    expect(jsonProblem({ a: ['ok', 'fine'] })).toBeUndefined();
  });
});

describe('NUL guard of the API', () => {
  it('finds the first string or key with U+0000', () => {
    expect(nulPointer({ name: 'ok', tags: ['a', 'b\u0000'] })).toBe('/tags/1');
    expect(nulPointer('x\u0000')).toBe('');
    expect(nulPointer({ name: 'fine', n: 1, nothing: null })).toBeUndefined();
    expect(nulPointer(Buffer.from('a\u0000b'))).toBeUndefined();
  });
});

describe('run page tokens', () => {
  it('round-trips a token and refuses garbage or a changed byte with a 400 naming pageToken', () => {
    const raw = Buffer.from('{"CloseTime":1,"RunID":"abc"}');
    const token = encodePageToken(raw);
    expect(decodePageToken(token)).toEqual(raw);
    for (const bad of ['garbage', '', `${token.slice(0, -2)}AA`, token.slice(1)]) {
      expect(() => decodePageToken(bad)).toThrow(HttpError);
    }
    try {
      decodePageToken('garbage');
    } catch (error) {
      expect((error as HttpError).errors[0]?.pointer).toBe('/query/pageToken');
    }
  });
});
