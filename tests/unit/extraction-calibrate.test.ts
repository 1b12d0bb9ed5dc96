import { describe, expect, it } from 'vitest';
import { lowestSafeCut } from '../../extraction/learn/calibrate.ts';

// The route's threshold: cuts from loosest to strictest, each with how many dev emails pass and
// how many of those are fully right (out of fold).
describe('lowestSafeCut', () => {
  it('takes the loosest cut whose stricter cuts all stay at 95 % right', () => {
    const cuts = [
      { passed: 100, right: 80 },
      { passed: 60, right: 58 },
      { passed: 40, right: 39 },
      { passed: 20, right: 20 },
      { passed: 5, right: 5 },
    ];
    expect(lowestSafeCut(cuts)).toBe(cuts[1]);
  });

  it('does not take a cut that only touches the target above a stricter one that misses it', () => {
    const cuts = [
      { passed: 100, right: 80 },
      { passed: 40, right: 38 }, // 95 %: touches the target
      { passed: 14, right: 13 }, // 92.9 %: a stricter band is worse
      { passed: 11, right: 11 },
      { passed: 4, right: 4 }, // too few to judge
    ];
    expect(lowestSafeCut(cuts)).toBe(cuts[3]);
  });

  it('lets nothing pass when no cut with enough emails keeps the target', () => {
    expect(
      lowestSafeCut([
        { passed: 50, right: 40 },
        { passed: 12, right: 10 },
        { passed: 3, right: 3 },
      ]),
    ).toBe(undefined);
  });
});
