// Two small workflows many API tests publish: one that sums its input and echoes the total, and
// one that stops for a person's review of a text and echoes what the person let through.
import { graph } from './graph-builder.ts';

export const textSchema = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: { text: { type: 'string', minLength: 1 } },
};

/** manual trigger → `$sum(items.amount)` → test.echo tagged "sum". */
export const echoTotalGraph = (name: string) =>
  graph(
    name,
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['total', 'transform', { expression: '$sum(items.amount)' }],
      ['echo', 'test.echo', { tag: 'sum' }],
    ],
    ['start.data -> total.value', 'total.value -> echo.value'],
  );

/** manual trigger → human-review of `{text}` (60 minutes, then rejected) → test.echo tagged "after". */
export const reviewTextGraph = (name: string) =>
  graph(
    name,
    [
      ['start', 'trigger', { kind: 'manual' }],
      [
        'review',
        'human-review',
        { instructions: 'Check it', timeoutMinutes: 60, onTimeout: 'reject', valueSchema: textSchema },
      ],
      ['after', 'test.echo', { tag: 'after' }],
    ],
    ['start.data -> review.value', 'review.value -> after.value'],
  );
