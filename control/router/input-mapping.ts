import { evaluate, expressionError } from '../../nodes/sdk/expression.ts';
import type { Event } from '../../schemas/event.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';

export class InputMappingError extends Error {
  override readonly name = 'InputMappingError';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The run's trigger from the event: the rule's JSONata mapping, or the event itself. */
export async function mapInput(mapping: string | undefined, event: Event): Promise<RunInput['trigger']> {
  if (!mapping) return { event: event as unknown as Record<string, unknown> };
  const result = await evaluate(mapping, event);
  if (!isObject(result)) throw new InputMappingError(`the input mapping gave ${JSON.stringify(result)}, not an object`);
  const extra = Object.keys(result).filter((key) => key !== 'event' && key !== 'data');
  if (extra.length > 0)
    throw new InputMappingError(`the input mapping may only give event and data, not ${extra.join(', ')}`);
  if (result.event !== undefined && !isObject(result.event)) throw new InputMappingError('event must be an object');
  if (result.data !== undefined && !isObject(result.data)) throw new InputMappingError('data must be an object');
  return {
    ...(result.event !== undefined ? { event: result.event } : {}),
    ...(result.data !== undefined ? { data: result.data } : {}),
  };
}

/** Why a mapping does not parse, for validating rule sets before they are stored. */
export function mappingError(mapping: string): string | undefined {
  return expressionError(mapping);
}
