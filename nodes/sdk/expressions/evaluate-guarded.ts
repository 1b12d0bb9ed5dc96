import jsonata from 'jsonata';
import { LruCache } from './compile-cache.ts';
import type { ExpressionFailure } from './expression-error.ts';
import type { ExpressionLimits } from './limits.ts';

/** What one evaluation gave, as it crosses between processes: the value as JSON text, or why not. */
export type GuardedOutcome = { ok: true; json?: string } | { ok: false; failure: ExpressionFailure; reason: string };

interface JsonataError {
  code?: string;
  message?: string;
  position?: number;
}

const COMPILED_CAPACITY = 500;

/** jsonata's own error codes for its guardrails, and a JS stack overflow, as our failures. */
function classify(error: unknown, limits: ExpressionLimits): { failure: ExpressionFailure; reason: string } {
  const { code, message = String(error), position } = (error ?? {}) as JsonataError;
  if (code?.startsWith('S'))
    return {
      failure: 'syntax',
      reason: `does not parse: ${message}${position === undefined ? '' : ` (at character ${position})`}`,
    };
  if (code === 'D1011' || (error instanceof RangeError && /call stack/i.test(message)))
    return { failure: 'depth', reason: `went deeper than ${limits.maxDepth} evaluation steps (runaway recursion?)` };
  if (code === 'D1012') return { failure: 'time', reason: `ran longer than ${limits.timeoutMs} ms` };
  if (code === 'D2014' || code === 'D2015')
    return { failure: 'size', reason: `built a sequence of more than ${limits.maxSequence} items` };
  return { failure: 'evaluation', reason: `failed: ${message}` };
}

/**
 * Evaluates expressions in this thread with jsonata's guardrails (depth, time between steps,
 * sequence size) and a bounded cache of compiled expressions. The guardrails are checked between
 * steps only; a single long built-in call is stopped by the pool killing the process.
 */
export function createGuardedEvaluator(capacity = COMPILED_CAPACITY) {
  const compiled = new LruCache<string, jsonata.Expression>(capacity);

  async function evaluate(expression: string, data: unknown, limits: ExpressionLimits): Promise<GuardedOutcome> {
    try {
      const key = `${limits.timeoutMs}:${limits.maxDepth}:${limits.maxSequence}:${expression}`;
      let program = compiled.get(key);
      if (!program) {
        program = jsonata(expression, {
          timeout: limits.timeoutMs,
          stack: limits.maxDepth,
          sequence: limits.maxSequence,
        });
        compiled.set(key, program);
      }
      const value = (await program.evaluate(data)) as unknown;
      // JSON is what nodes and mappings give on anyway; functions and undefined drop out.
      const json = JSON.stringify(value);
      return json === undefined ? { ok: true } : { ok: true, json };
    } catch (error) {
      return { ok: false, ...classify(error, limits) };
    }
  }

  return { evaluate, compiled };
}
