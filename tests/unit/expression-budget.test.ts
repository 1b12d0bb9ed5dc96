import { afterAll, describe, expect, it } from 'vitest';
import {
  closeExpressionPool,
  evaluate,
  ExpressionError,
  expressionError,
  type EvaluateOptions,
  type ExpressionFailure,
} from '../../nodes/sdk/expression.ts';
import { LruCache } from '../../nodes/sdk/expressions/compile-cache.ts';
import { createGuardedEvaluator } from '../../nodes/sdk/expressions/evaluate-guarded.ts';
import { defaultLimits } from '../../nodes/sdk/expressions/limits.ts';

const endless = '($f := function($n){ $f($n + 1) }; $f(0))';
const deep = '($f := function($n){ 1 + $f($n + 1) }; $f(0))';
const backtracking = '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/)';
const doubling = '($d := function($s, $n){ $n = 0 ? $s : $d($s & $s, $n - 1) }; $d("x", 28))';

/** The error an evaluation fails with, and how long it took to fail. */
async function failure(
  expression: string,
  options: EvaluateOptions = {},
): Promise<{ error: ExpressionError; ms: number }> {
  const started = Date.now();
  try {
    const value = await evaluate(expression, {}, options);
    throw new Error(`${expression} gave ${JSON.stringify(value)} instead of failing`);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { error, ms: Date.now() - started };
  }
}

describe('budgeted expression evaluation', () => {
  afterAll(() => closeExpressionPool());

  it('gives normal expressions their values, quickly', async () => {
    const order = { items: [{ amount: 2 }, { amount: 3.5 }], customer: { name: 'Greta' } };
    expect(await evaluate('$sum(items.amount)', order)).toBe(5.5);
    expect(await evaluate('{ "who": customer.name, "n": $count(items) }', order)).toEqual({ who: 'Greta', n: 2 });
    expect(await evaluate('missing', order)).toBeUndefined();
    // Speed is bench/'s to claim; this only catches an evaluation path that hangs or crawls.
    const started = Date.now();
    for (let i = 0; i < 100; i++) expect(await evaluate('a * 2', { a: i })).toBe(i * 2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  // Filling 128 MB takes a loaded machine more than the default second: that case gets ten.
  const cases: [string, string, ExpressionFailure, RegExp, number?][] = [
    ['endless tail recursion', endless, 'time', /ran longer than 1000 ms/],
    ['runaway recursion', deep, 'depth', /went deeper than 500 evaluation steps/],
    ['a huge range', '[1..1e8]', 'size', /more than 1000000 items/],
    ['a range under jsonata’s own cap', '[1..9999999]', 'size', /more than 1000000 items/],
    ['a regular expression that never finishes', backtracking, 'time', /ran longer than 1000 ms/],
    ['a string that outgrows the heap', doubling, 'heap', /used more than 128 MB of memory/, 10_000],
    ['a syntax error', '(((((', 'syntax', /does not parse: Expected "\)" before end of expression/],
  ];
  it.each(cases)(
    'stops %s within its budget, naming where and the expression',
    async (_, expression, kind, reason, timeoutMs = defaultLimits.timeoutMs) => {
      const { error, ms } = await failure(expression, { where: 'node "grade"', limits: { timeoutMs } });
      expect(error.failure).toBe(kind);
      expect(error.message).toMatch(reason);
      expect(error.message.startsWith(`node "grade": expression ${JSON.stringify(expression)} `)).toBe(true);
      expect(error.expression).toBe(expression);
      expect(ms).toBeLessThan(timeoutMs + 3_000);
    },
  );

  it('answers other evaluations while a runaway one runs', async () => {
    // Compared with the runaway itself, not the wall clock: the answer must come while it still runs.
    let runawayDone = false;
    const runaway = failure(backtracking).finally(() => (runawayDone = true));
    expect(await evaluate('"still here"', {})).toBe('still here');
    expect(runawayDone).toBe(false);
    expect((await runaway).error.failure).toBe('time');
    expect(await evaluate('1 + 1', {})).toBe(2);
  });

  it('reports a syntax error without evaluating', () => {
    expect(expressionError('(((((')).toBe('Expected ")" before end of expression (at character 5)');
    expect(expressionError('$sum(items.amount)')).toBeUndefined();
  });
});

describe('the compile cache', () => {
  it('keeps only its most recently used expressions', async () => {
    const { evaluate: evaluateHere, compiled } = createGuardedEvaluator(3);
    for (let i = 0; i < 10; i++)
      expect(await evaluateHere(`${i} + 1`, {}, defaultLimits)).toEqual({ ok: true, json: `${i + 1}` });
    expect(compiled.size).toBe(3);
  });

  it('drops the least recently used entry first', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });
});
