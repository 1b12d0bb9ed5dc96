import type { PlanNode } from '../../schemas/execution-plan.ts';

/**
 * Builds a node's input from upstream outputs. A port with several sources takes the first
 * that produced a value (a join after a condition), unless it collects (fan-in into an array).
 * A required port with no value means the node is skipped.
 */
export function assembleInput(
  node: PlanNode,
  outputOf: (nodeId: string) => Record<string, unknown> | undefined,
): { input: Record<string, unknown> } | { missing: string } {
  const input: Record<string, unknown> = {};
  for (const port of node.inputs) {
    const produced = port.sources
      .map((source) => ({ source, value: outputOf(source.node)?.[source.port] }))
      .filter((entry) => entry.value !== undefined);
    if (port.collect) {
      if (produced.length > 0) {
        input[port.port] = produced.flatMap(({ source, value }) =>
          source.as === 'item' ? [value] : (value as unknown[]),
        );
      }
    } else if (produced[0]) {
      input[port.port] = produced[0].value;
    }
    if (port.required && input[port.port] === undefined) return { missing: port.port };
  }
  return { input };
}
