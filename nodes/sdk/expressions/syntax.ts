import jsonata from 'jsonata';

/** Marks a config field as a JSONata expression (`contentMediaType`): the graph check parses it. */
export const JSONATA_MEDIA_TYPE = 'application/x-jsonata';

/** Why an expression does not parse, or undefined when it does. Pure: the editor runs it too. */
export function expressionError(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message: string; position?: number };
    return position === undefined ? message : `${message} (at character ${position})`;
  }
}

/** How an expression is quoted in an error: whole when short, its start otherwise. */
export function quoteExpression(expression: string): string {
  const oneLine = expression.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine);
}
