import type { Client } from '@temporalio/client';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import type { Db } from '../../store/db.ts';
import { getWorkflow, publishVersion, type StoredVersion } from '../../store/workflows.ts';
import { compileGraph } from '../../workflows/compile.ts';
import type { GraphError } from '../../workflows/validate.ts';
import { notFound } from './http-errors.ts';
import { ScheduleSpecError, syncSchedule } from './schedules.ts';
import { syncBackground } from './workflow-schedules.ts';

/** A graph that does not compile: the 422 names every problem the validator found. */
export class GraphRefusedError extends Error {
  readonly statusCode = 422;
  readonly graphErrors: GraphError[];
  constructor(errors: GraphError[]) {
    super(`the graph does not compile: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'GraphRefusedError';
    this.graphErrors = errors;
  }
}

/**
 * Validates and compiles the draft, stores it as the next version unless its plan is the
 * latest's, and keeps the workflow's Temporal Schedules in step: a schedule trigger's, and the
 * background window's of its run policy (control plane).
 */
export async function publishWorkflow(
  db: Db,
  temporal: () => Promise<Client>,
  registry: NodeRegistry,
  options: { workflowId: string; publishedBy: string; taskQueue: string },
): Promise<{ version: StoredVersion; created: boolean }> {
  const workflow = await getWorkflow(db, options.workflowId);
  if (!workflow || workflow.archived) throw notFound('workflow', '/params/id');
  const graph: WorkflowGraph = workflow.graph;
  const compiled = compileGraph(graph, registry);
  if (!compiled.ok) throw new GraphRefusedError(compiled.errors);
  const { plan } = compiled;

  const sync = async (version: StoredVersion) => {
    try {
      await syncSchedule(await temporal(), {
        plan,
        workflow: { id: options.workflowId, version: version.version },
        taskQueue: options.taskQueue,
      });
    } catch (error) {
      if (error instanceof ScheduleSpecError) {
        throw new GraphRefusedError([
          {
            code: 'invalid-config',
            message: `Temporal refused the schedule: ${error.message}`,
            nodeId: plan.trigger,
            pointer: '/schedule',
          },
        ]);
      }
      throw error;
    }
  };
  // A new version and its schedule land together: a schedule Temporal refuses rolls the version back.
  const result = await publishVersion(db, options.workflowId, { graph, plan, publishedBy: options.publishedBy }, sync);
  if (!result) throw notFound('workflow', '/params/id');
  // An unchanged plan still gets its schedule checked (a previous attempt may have failed half way).
  if (!result.created) await sync(result.version);
  await syncBackground(db, await temporal(), {
    workflowId: options.workflowId,
    taskQueue: options.taskQueue,
    version: result.version,
  });
  return result;
}
