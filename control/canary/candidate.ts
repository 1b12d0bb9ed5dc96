import { applyMergePatch } from '../../lib/merge-patch.ts';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import { getVersion } from '../../store/workflows.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import type { WorkflowCandidate } from '../schemas/canary.ts';

export interface CandidatePlan {
  workflowId: string;
  plan: ExecutionPlan;
  graph: WorkflowGraph;
  /** The published version the candidate is (kind version) or builds on (kind node-config). */
  baseVersion: number;
  /** Label for the canary runs' input: the candidate's version, or the base for an unpublished change. */
  label: string;
}

/** The plan a workflow candidate runs: a published version as is, or one node's config patched and compiled. */
export async function candidatePlan(
  deps: Pick<ControlDeps, 'db' | 'registry'>,
  candidate: WorkflowCandidate,
): Promise<CandidatePlan> {
  if (candidate.kind === 'version') {
    const published = await getVersion(deps.db, candidate.workflowId, candidate.version);
    if (!published) throw new ControlError(`workflow ${candidate.workflowId} has no version ${candidate.version}`, 404);
    return {
      workflowId: candidate.workflowId,
      plan: published.plan,
      graph: published.graph,
      baseVersion: published.version,
      label: `v${published.version}`,
    };
  }
  const base = await getVersion(deps.db, candidate.workflowId, candidate.baseVersion);
  if (!base) throw new ControlError(`workflow ${candidate.workflowId} has no published version to change`, 404);
  const node = base.graph.nodes.find((n) => n.id === candidate.nodeId);
  if (!node) throw new ControlError(`node ${candidate.nodeId} is not in ${candidate.workflowId} v${base.version}`, 400);
  const graph: WorkflowGraph = {
    ...base.graph,
    nodes: base.graph.nodes.map((n) =>
      n.id === candidate.nodeId
        ? { ...n, config: applyMergePatch(n.config, candidate.config) as Record<string, unknown> }
        : n,
    ),
  };
  const compiled = compileGraph(graph, deps.registry);
  if (!compiled.ok)
    throw new ControlError(
      `the changed config does not compile: ${compiled.errors.map((e) => e.message).join('; ')}`,
      400,
    );
  return {
    workflowId: candidate.workflowId,
    plan: compiled.plan,
    graph,
    baseVersion: base.version,
    label: `v${base.version}+${candidate.nodeId}`,
  };
}
