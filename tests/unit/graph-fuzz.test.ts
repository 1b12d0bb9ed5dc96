import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { inputPorts, outputPorts } from '../../workflows/graph.ts';
import { validateGraph } from '../../workflows/validate.ts';

const registry = createBuiltinRegistry();
const types = registry.list().map((definition) => ({
  type: definition.type,
  version: definition.version,
  config: (definition.examples?.[0]?.config ?? {}) as Record<string, unknown>,
  inputs: inputPorts(definition).map((port) => port.name),
  outputs: outputPorts(definition).map((port) => port.name),
}));

const nodeId = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'start');
const anyConfig = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
);

/** Graphs made of real node types (sometimes misused), random and often wrong wiring, sometimes junk. */
const randomGraph: fc.Arbitrary<WorkflowGraph> = fc
  .record({
    nodes: fc.array(
      fc.record({
        id: nodeId,
        kind: fc.nat(types.length - 1),
        version: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 3 })),
        config: anyConfig,
      }),
      { minLength: 0, maxLength: 8 },
    ),
    edges: fc.array(fc.record({ from: nodeId, to: nodeId, out: fc.nat(3), into: fc.nat(3), junkPort: fc.boolean() }), {
      maxLength: 12,
    }),
  })
  .map(({ nodes, edges }) => ({
    name: 'fuzz',
    nodes: nodes.map((node, index) => {
      const type = types[node.kind] ?? types[0];
      return {
        id: node.id,
        type: type?.type ?? 'trigger',
        version: node.version ?? type?.version ?? 1,
        config: node.config ?? type?.config ?? {},
        position: { x: index, y: 0 },
      };
    }),
    edges: edges.map((edge, index) => {
      const source = types[nodes.find((n) => n.id === edge.from)?.kind ?? 0];
      const target = types[nodes.find((n) => n.id === edge.to)?.kind ?? 0];
      return {
        id: `e${index}`,
        source: edge.from,
        sourcePort: edge.junkPort ? 'junk' : (source?.outputs[edge.out % Math.max(1, source.outputs.length)] ?? 'out'),
        target: edge.to,
        targetPort: target?.inputs[edge.into % Math.max(1, target.inputs.length)] ?? 'in',
      };
    }),
  }));

describe('graph validator and compiler under random graphs', () => {
  it('never throw, and every error says where it is', () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const result = validateGraph(g, registry);
        const compiled = compileGraph(g, registry);
        expect(compiled.ok).toBe(result.ok);
        for (const error of result.errors) {
          // Only "there is no trigger" concerns the graph as a whole.
          if (error.code !== 'no-trigger') expect(error.nodeId ?? error.edgeId ?? error.pointer).toBeTruthy();
          expect(error.message.length).toBeGreaterThan(0);
        }
        if (compiled.ok) {
          expect(compiled.plan.order).toHaveLength(g.nodes.length);
          expect(new Set(compiled.plan.order).size).toBe(g.nodes.length);
        }
      }),
      { numRuns: 2000, seed: 20261125 },
    );
  });

  it('never throw on arbitrary JSON either', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = validateGraph(value, registry);
        expect(result.ok).toBe(false);
        expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
