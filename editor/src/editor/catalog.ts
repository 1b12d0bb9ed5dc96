// The node types the palette offers, as the NodeCatalog the shared validation needs.
import type { NodeCatalog } from '../../../workflows/graph.ts';
import type { NodeType } from '../api/types.ts';

export const nodeKey = (type: string, version: number) => `${type}@${version}`;

export interface Catalog extends NodeCatalog {
  all: NodeType[];
  get(type: string, version: number): NodeType | undefined;
}

/** The newest version of each type is what the palette offers; saved graphs keep the version they pinned. */
export function createCatalog(nodeTypes: NodeType[]): Catalog {
  const byKey = new Map(nodeTypes.map((node) => [nodeKey(node.type, node.version), node]));
  return { all: nodeTypes, get: (type, version) => byKey.get(nodeKey(type, version)) };
}

export function latestVersions(nodeTypes: NodeType[]): NodeType[] {
  const latest = new Map<string, NodeType>();
  for (const node of nodeTypes) {
    const seen = latest.get(node.type);
    if (!seen || seen.version < node.version) latest.set(node.type, node);
  }
  return [...latest.values()];
}

/** Palette order: the way data usually flows through a workflow. */
export const categoryOrder = ['trigger', 'input', 'memory', 'ai', 'human', 'logic', 'finance', 'output', 'maintenance'];

export const categoryLabels: Record<string, string> = {
  trigger: 'Triggers',
  input: 'Input',
  memory: 'Memory',
  ai: 'AI',
  human: 'People',
  logic: 'Logic',
  finance: 'Finance',
  output: 'Output',
  maintenance: 'Maintenance',
};
