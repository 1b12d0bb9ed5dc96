import { ExpressionError } from './expressions/expression-error.ts';
import { defaultLimits, EXPRESSION_HEAP_MB, type ExpressionLimits } from './expressions/limits.ts';
import { ExpressionPool } from './expressions/pool.ts';

export { ExpressionError, type ExpressionFailure } from './expressions/expression-error.ts';
export { defaultLimits, type ExpressionLimits } from './expressions/limits.ts';
export { expressionError } from './expressions/syntax.ts';

export interface EvaluateOptions {
  /** Who evaluates it, for the error message: `node "grade"`, `rule "billing"`. */
  where?: string;
  limits?: Partial<ExpressionLimits>;
}

const POOL_SIZE = 2;
let pool: ExpressionPool | undefined;

/**
 * Evaluates a JSONata expression (no eval, no I/O) against data, in a child process under a
 * budget (time, depth, sequence size, heap): a runaway expression fails with an ExpressionError
 * naming it, and the calling process stays free meanwhile. The value comes back as JSON.
 */
export async function evaluate(expression: string, data: unknown, options: EvaluateOptions = {}): Promise<unknown> {
  pool ??= new ExpressionPool({ size: POOL_SIZE, heapMb: EXPRESSION_HEAP_MB });
  const limits = { ...defaultLimits, ...options.limits };
  const outcome = await pool.run(expression, data, limits);
  if (!outcome.ok) throw new ExpressionError(outcome.failure, expression, outcome.reason, options.where);
  return outcome.json === undefined ? undefined : (JSON.parse(outcome.json) as unknown);
}

/** Stops the evaluating processes (tests, shutdown); the next evaluation starts new ones. */
export function closeExpressionPool(): void {
  pool?.close();
  pool = undefined;
}
