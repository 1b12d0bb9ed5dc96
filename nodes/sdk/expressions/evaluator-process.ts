// The evaluating process: one expression at a time, answered by id. The pool kills it when an
// expression outruns its time; V8 aborts it when it outgrows its heap. Either way only this
// process dies, never the Temporal worker or API server that asked.
import { createGuardedEvaluator, type GuardedOutcome } from './evaluate-guarded.ts';
import type { ExpressionLimits } from './limits.ts';

export interface EvaluationRequest {
  id: number;
  expression: string;
  data: unknown;
  limits: ExpressionLimits;
}

export interface EvaluationReply {
  id: number;
  outcome: GuardedOutcome;
}

/** Sent once, when the process has loaded and listens. */
export interface EvaluatorReady {
  ready: true;
}

const { evaluate } = createGuardedEvaluator();

process.on('message', (request: EvaluationRequest) => {
  void evaluate(request.expression, request.data, request.limits).then((outcome) => {
    const reply: EvaluationReply = { id: request.id, outcome };
    process.send?.(reply);
  });
});
// The parent is gone (or closed the pool): nothing more to evaluate.
process.on('disconnect', () => process.exit(0));
// Loaded: from now on the pool's timer measures the expression, not this process's start.
process.send?.({ ready: true } satisfies EvaluatorReady);
