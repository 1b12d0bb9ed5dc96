import { NodeInputError } from '../context.ts';
import { quoteExpression } from './syntax.ts';

/** What stopped an expression: it did not parse, ran out of a limit, or failed on its data. */
export type ExpressionFailure = 'syntax' | 'time' | 'depth' | 'size' | 'heap' | 'evaluation';

/**
 * An expression that cannot give a value. Its message names who evaluated it (`node "grade"`,
 * `rule "billing"`), the expression and why. Retrying does not help, so a node fails for good
 * (a NodeInputError, by that name in the run's failure).
 */
export class ExpressionError extends NodeInputError {
  readonly failure: ExpressionFailure;
  readonly expression: string;
  readonly reason: string;

  constructor(failure: ExpressionFailure, expression: string, reason: string, where?: string) {
    super(`${where ? `${where}: ` : ''}expression ${quoteExpression(expression)} ${reason}`);
    this.failure = failure;
    this.expression = expression;
    this.reason = reason;
  }
}
