import jsonata from 'jsonata';

const compiled = new Map<string, jsonata.Expression>();

/** Evaluates a JSONata expression (no eval, no I/O) against data; compiled once per text. */
export async function evaluate(expression: string, data: unknown): Promise<unknown> {
  let program = compiled.get(expression);
  if (!program) {
    program = jsonata(expression);
    compiled.set(expression, program);
  }
  return (await program.evaluate(data)) as unknown;
}

/** Why an expression does not parse, or undefined when it does. */
export function expressionError(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message: string; position?: number };
    return position === undefined ? message : `${message} (at character ${position})`;
  }
}
