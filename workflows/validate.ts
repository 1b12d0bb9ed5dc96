// Graph validation: every error names the node (and port or config field) and the reason.
// Pure and browser-safe: the editor runs it as you draw; the server runs it before publishing.
import { fieldErrors, validatorFor } from '../schemas/ajv.ts';
import { workflowGraphSchema, type WorkflowGraph } from '../schemas/workflow-graph.ts';
import { checkCompatibility, type Compatibility, type RefResolver } from './compatibility.ts';
import { expressionErrors } from './expression-check.ts';
import type { GraphError } from './graph-error.ts';
import {
  incoming,
  inputPorts,
  outputPorts,
  reachableFrom,
  topologicalOrder,
  type NodeCatalog,
  type Port,
} from './graph.ts';

export type { GraphError, GraphErrorCode } from './graph-error.ts';

export interface GraphWarning {
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: GraphError[];
  warnings: GraphWarning[];
}

/**
 * Whether an output fits an input port. An array input takes either a whole array (`whole`)
 * or, from each of several sources, one item (`item`): that is how fan-in collects values.
 */
export function fitEdge(out: Port, into: Port, resolve?: RefResolver): Compatibility & { mode?: 'whole' | 'item' } {
  const whole = checkCompatibility(out.schema, into.schema, resolve);
  if (whole.ok || !into.collect) return { ...whole, mode: 'whole' };
  const items = (into.schema as { items?: boolean | Record<string, unknown> }).items ?? true;
  const item = checkCompatibility(out.schema, items, resolve, '/items');
  return item.ok ? { ...item, mode: 'item' } : whole;
}

export function validateGraph(graph: unknown, catalog: NodeCatalog, resolve?: RefResolver): ValidationResult {
  const shape = validatorFor(workflowGraphSchema);
  if (!shape(graph)) {
    const errors = fieldErrors(shape.errors).map((error) => ({
      code: 'invalid-graph' as const,
      message: `${error.pointer} ${error.message}`,
      pointer: error.pointer,
    }));
    return { ok: false, errors, warnings: [] };
  }
  const valid = graph as WorkflowGraph;
  const errors: GraphError[] = [];
  const warnings: GraphWarning[] = [];
  const nodes = new Map(valid.nodes.map((node) => [node.id, node]));

  const seenIds = new Set<string>();
  for (const node of valid.nodes) {
    if (seenIds.has(node.id))
      errors.push({ code: 'duplicate-node-id', nodeId: node.id, message: `Node id "${node.id}" is used twice` });
    seenIds.add(node.id);
    const declaration = catalog.get(node.type, node.version);
    if (!declaration) {
      errors.push({
        code: 'unknown-node-type',
        nodeId: node.id,
        message: `Node "${node.id}": unknown type ${node.type}@${node.version}`,
      });
      continue;
    }
    const validateConfig = validatorFor(declaration.config);
    if (!validateConfig(node.config)) {
      for (const error of fieldErrors(validateConfig.errors)) {
        errors.push({
          code: 'invalid-config',
          nodeId: node.id,
          pointer: error.pointer,
          message: `Node "${node.id}" config ${error.pointer}: ${error.message}`,
        });
      }
    } else errors.push(...expressionErrors(node, declaration));
  }

  const edgeKeys = new Set<string>();
  for (const edge of valid.edges) {
    const key = `${edge.source}.${edge.sourcePort}->${edge.target}.${edge.targetPort}`;
    if (edgeKeys.has(key))
      errors.push({
        code: 'duplicate-edge',
        edgeId: edge.id,
        nodeId: edge.target,
        message: `Edge ${key} is drawn twice`,
      });
    edgeKeys.add(key);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = source ? edge.target : edge.source;
      errors.push({
        code: 'unknown-node',
        edgeId: edge.id,
        nodeId: missing,
        message: `Edge ${edge.id} points at node "${missing}", which does not exist`,
      });
      continue;
    }
    const sourceDeclaration = catalog.get(source.type, source.version);
    const targetDeclaration = catalog.get(target.type, target.version);
    if (!sourceDeclaration || !targetDeclaration) continue;
    const out = outputPorts(sourceDeclaration).find((port) => port.name === edge.sourcePort);
    const into = inputPorts(targetDeclaration).find((port) => port.name === edge.targetPort);
    if (!out) {
      errors.push({
        code: 'unknown-port',
        edgeId: edge.id,
        nodeId: source.id,
        port: edge.sourcePort,
        message: `Node "${source.id}" (${source.type}) has no output port "${edge.sourcePort}"`,
      });
      continue;
    }
    if (!into) {
      errors.push({
        code: 'unknown-port',
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `Node "${target.id}" (${target.type}) has no input port "${edge.targetPort}"`,
      });
      continue;
    }
    const fit = fitEdge(out, into, resolve);
    if (!fit.ok) {
      errors.push({
        code: 'incompatible-edge',
        edgeId: edge.id,
        nodeId: target.id,
        port: edge.targetPort,
        message: `Edge ${source.id}.${edge.sourcePort} → ${target.id}.${edge.targetPort}: at ${fit.path}: ${fit.reason}`,
      });
    } else if (fit.warning) {
      warnings.push({
        edgeId: edge.id,
        nodeId: target.id,
        message: `Edge ${source.id}.${edge.sourcePort} → ${target.id}.${edge.targetPort}: ${fit.warning}`,
      });
    }
  }

  const triggers = valid.nodes.filter((node) => catalog.get(node.type, node.version)?.execution.kind === 'trigger');
  if (triggers.length === 0) errors.push({ code: 'no-trigger', message: 'The workflow has no trigger node' });
  for (const extra of triggers.slice(1)) {
    errors.push({
      code: 'multiple-triggers',
      nodeId: extra.id,
      message: `Node "${extra.id}" is a second trigger; a workflow has exactly one (first: "${triggers[0]?.id}")`,
    });
  }

  const { cyclic } = topologicalOrder(valid);
  for (const id of cyclic) errors.push({ code: 'cycle', nodeId: id, message: `Node "${id}" is on a cycle` });

  const [trigger] = triggers;
  if (trigger) {
    const reachable = reachableFrom(valid, trigger.id);
    for (const node of valid.nodes) {
      if (!reachable.has(node.id))
        errors.push({
          code: 'unreachable',
          nodeId: node.id,
          message: `Node "${node.id}" cannot be reached from the trigger "${trigger.id}"`,
        });
    }
  }

  for (const node of valid.nodes) {
    const declaration = catalog.get(node.type, node.version);
    if (!declaration || declaration.execution.kind === 'trigger') continue;
    const wired = new Set(incoming(valid, node.id).map((edge) => edge.targetPort));
    for (const port of inputPorts(declaration)) {
      if (port.required && !wired.has(port.name)) {
        errors.push({
          code: 'missing-input',
          nodeId: node.id,
          port: port.name,
          message: `Node "${node.id}" (${node.type}): required input "${port.name}" is not connected`,
        });
      }
    }
  }
  return { ok: errors.length === 0, errors, warnings };
}
