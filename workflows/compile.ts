// Graph → ExecutionPlan: pure, deterministic, content-hashed. Runs when a workflow is
// published (never inside workflow code); the hash is the version a run records.
import { canonicalize } from 'json-canonicalize';
import { sha256Hex } from '../lib/sha256.ts';
import type { ExecutionPlan, PlanNode } from '../schemas/execution-plan.ts';
import type { WorkflowGraph } from '../schemas/workflow-graph.ts';
import { incoming, inputPorts, outputPorts, topologicalOrder, type NodeCatalog } from './graph.ts';
import { fitEdge, validateGraph, type GraphError, type GraphWarning } from './validate.ts';
import type { RefResolver } from './compatibility.ts';

export type CompileResult =
  | { ok: true; plan: ExecutionPlan; warnings: GraphWarning[] }
  | { ok: false; errors: GraphError[]; warnings: GraphWarning[] };

export function planHash(plan: Omit<ExecutionPlan, 'hash'>): string {
  return sha256Hex(canonicalize(plan));
}

export function compileGraph(graph: WorkflowGraph, catalog: NodeCatalog, resolve?: RefResolver): CompileResult {
  const validation = validateGraph(graph, catalog, resolve);
  if (!validation.ok) return { ok: false, errors: validation.errors, warnings: validation.warnings };
  const { order } = topologicalOrder(graph);
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  let trigger = '';
  const nodes: PlanNode[] = order.map((id) => {
    const node = byId.get(id);
    const declaration = node && catalog.get(node.type, node.version);
    if (!node || !declaration) throw new Error(`validated graph lost node ${id}`);
    if (declaration.execution.kind === 'trigger') trigger = id;
    // Edges in drawing order decide which source wins on a join; sort for a stable hash.
    const edges = incoming(graph, id).sort((a, b) => a.id.localeCompare(b.id));
    const inputs = inputPorts(declaration)
      .map((port) => ({
        port: port.name,
        required: port.required,
        collect: port.collect,
        sources: edges
          .filter((edge) => edge.targetPort === port.name)
          .map((edge) => {
            const source = byId.get(edge.source);
            const sourceDeclaration = source && catalog.get(source.type, source.version);
            const out = sourceDeclaration && outputPorts(sourceDeclaration).find((p) => p.name === edge.sourcePort);
            const mode = out && port.collect ? fitEdge(out, port, resolve).mode : 'whole';
            return { node: edge.source, port: edge.sourcePort, ...(mode === 'item' ? { as: 'item' as const } : {}) };
          }),
      }))
      .filter((input) => input.sources.length > 0 || input.required);
    const planNode: PlanNode = {
      id,
      type: node.type,
      version: node.version,
      kind: declaration.execution.kind,
      config: node.config,
      inputs,
      dependsOn: [...new Set(edges.map((edge) => edge.source))].sort(),
      timeoutMs: declaration.execution.timeoutMs,
      continueOnFailure: declaration.continueOnFailure ?? false,
      sideEffects: declaration.sideEffects,
      compensable: typeof (declaration as { compensate?: unknown }).compensate === 'function',
    };
    if (node.label) planNode.label = node.label;
    if (declaration.execution.heartbeatMs) planNode.heartbeatMs = declaration.execution.heartbeatMs;
    if (declaration.execution.retry) planNode.retry = { ...declaration.execution.retry };
    return planNode;
  });
  const body = { format: 1 as const, name: graph.name, trigger, order, nodes };
  return { ok: true, plan: { ...body, hash: planHash(body) }, warnings: validation.warnings };
}
