import { evaluate, ExpressionError, expressionError } from '../../nodes/sdk/expression.ts';
import type { Event } from '../../schemas/event.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';

/** The live rules cannot map this event (the operator's to fix): 422 when routing is asked for over HTTP. */
export class InputMappingError extends Error {
  override readonly name = 'InputMappingError';
  readonly statusCode = 422;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The run's trigger from the event: the rule's JSONata mapping, or the event itself. The mapping
 * runs under the expression budget (nodes/sdk/expression.ts), so a runaway one fails here, named
 * by `where` (`rule "billing"`), and the server that routes stays responsive.
 */
export async function mapInput(
  mapping: string | undefined,
  event: Event,
  where = 'the input mapping',
): Promise<RunInput['trigger']> {
  if (!mapping) return { event: event as unknown as Record<string, unknown> };
  const result = await evaluate(mapping, event, { where }).catch((error: unknown) => {
    throw error instanceof ExpressionError ? new InputMappingError(error.message, { cause: error }) : error;
  });
  if (!isObject(result))
    throw new InputMappingError(`${where}: the input mapping gave ${JSON.stringify(result)}, not an object`);
  const extra = Object.keys(result).filter((key) => key !== 'event' && key !== 'data');
  if (extra.length > 0)
    throw new InputMappingError(`${where}: the input mapping may only give event and data, not ${extra.join(', ')}`);
  if (result.event !== undefined && !isObject(result.event))
    throw new InputMappingError(`${where}: the input mapping's event must be an object`);
  if (result.data !== undefined && !isObject(result.data))
    throw new InputMappingError(`${where}: the input mapping's data must be an object`);
  return {
    ...(result.event !== undefined ? { event: result.event } : {}),
    ...(result.data !== undefined ? { data: result.data } : {}),
  };
}

/** Why a mapping does not parse, for validating rule sets before they are stored. */
export function mappingError(mapping: string): string | undefined {
  return expressionError(mapping);
}

/** Who a routing's mapping belongs to, for its errors. */
export const ruleLabel = (ruleId: string | undefined) => (ruleId ? `rule "${ruleId}"` : 'the default route');
