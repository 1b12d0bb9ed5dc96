/** What one evaluation may use before it is stopped. */
export interface ExpressionLimits {
  /** Wall-clock time in the evaluating process; past it the process is killed. */
  timeoutMs: number;
  /** Nesting of JSONata evaluation steps (function calls, blocks, paths): stops runaway recursion. */
  maxDepth: number;
  /** Items one sequence (a range, a path result) may hold. */
  maxSequence: number;
}

/** Heap one evaluating process may use; past it the process dies and is replaced. */
export const EXPRESSION_HEAP_MB = 128;

// Well under the 5 s of the transform and condition nodes, so the node fails with this error
// rather than with Temporal's timeout.
export const defaultLimits: ExpressionLimits = {
  timeoutMs: 1_000,
  maxDepth: 500,
  maxSequence: 1_000_000,
};
