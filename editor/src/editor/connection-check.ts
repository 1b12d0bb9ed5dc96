// Whether an edge may be drawn, and if not, why: the same fitEdge/checkCompatibility the
// server's validation uses, so the canvas refuses exactly what publishing would refuse.
import { portsOf } from '../../../workflows/graph.ts';
import { fitEdge } from '../../../workflows/validate.ts';
import type { Catalog } from './catalog.ts';

export interface ConnectionAttempt {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
  targetHandle?: string | null;
}

interface NodeRef {
  id: string;
  data: { type: string; version: number };
}

interface EdgeRef {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

export type ConnectionVerdict = { ok: true; warning?: string } | { ok: false; reason: string };

export function checkConnection(
  attempt: ConnectionAttempt,
  nodes: ReadonlyMap<string, NodeRef>,
  edges: readonly EdgeRef[],
  catalog: Catalog,
): ConnectionVerdict {
  const { source, target, sourceHandle, targetHandle } = attempt;
  if (!source || !target || !sourceHandle || !targetHandle)
    return { ok: false, reason: 'Pick an output and an input.' };
  if (source === target) return { ok: false, reason: 'A node cannot feed its own input.' };
  const from = nodes.get(source);
  const into = nodes.get(target);
  if (!from || !into) return { ok: false, reason: 'That node no longer exists.' };
  const fromType = catalog.get(from.data.type, from.data.version);
  const intoType = catalog.get(into.data.type, into.data.version);
  if (!fromType || !intoType) return { ok: false, reason: 'Unknown node type.' };
  const out = portsOf(fromType.output).find((port) => port.name === sourceHandle);
  const port = portsOf(intoType.input).find((candidate) => candidate.name === targetHandle);
  if (!out || !port) return { ok: false, reason: `No port "${out ? targetHandle : sourceHandle}".` };
  const duplicate = edges.some(
    (edge) =>
      edge.source === source &&
      edge.target === target &&
      edge.sourceHandle === sourceHandle &&
      edge.targetHandle === targetHandle,
  );
  if (duplicate) return { ok: false, reason: 'These ports are already connected.' };
  const fit = fitEdge(out, port);
  if (!fit.ok) {
    const where = fit.path && fit.path !== '/' ? ` at ${fit.path}` : '';
    return {
      ok: false,
      reason: `${fromType.title}.${sourceHandle} → ${intoType.title}.${targetHandle}${where}: ${fit.reason}.`,
    };
  }
  return fit.warning ? { ok: true, warning: fit.warning } : { ok: true };
}
