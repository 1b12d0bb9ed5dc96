// The one workflow that runs every compiled plan (see samples-typescript's dsl-interpreter).
// Deterministic: only @temporalio/workflow APIs and types; every effect is an activity.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { PlanNode } from '../../schemas/execution-plan.ts';
import type { ReviewActivities } from '../activities/review-activities.ts';
import { compensationActivityName, nodeActivityName } from './activity-names.ts';
import { runAgentLoop } from './agent-loop.ts';
import { assembleInput } from './assemble-input.ts';
import { errorText, waitForHuman, type DecisionRequest, type HumanWait } from './human-task.ts';
import type {
  DecisionArgs,
  DecisionOutcome,
  NodeActivityArgs,
  NodeActivityResult,
  NodeState,
  RunInput,
  RunResult,
  RunStatus,
} from './run-types.ts';

/** Change ids for patched(): running workflows started before a change keep the old behaviour. */
const SKIP_WITHOUT_INPUT = 'skip-node-without-input';

export const statusQuery = defineQuery<RunStatus>('status');
export const decideSignal = defineSignal<[DecisionArgs]>('decide');
export const decisionQuery = defineQuery<DecisionOutcome | undefined, [string]>('decision');

const reviews = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['TaskStateError', 'TaskValueError', 'ValidationError'] },
});

/** Canary runs ask nobody: no review task is created; recorded decisions stand in (guarded for replay). */
export const CANARY_ASKS_NOBODY = 'canary-asks-nobody';

const DEFAULT_RETRY = {
  maximumAttempts: 5,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 30_000,
};

function retryPolicy(node: PlanNode) {
  const retry = { ...DEFAULT_RETRY, ...node.retry };
  return {
    maximumAttempts: retry.maximumAttempts,
    initialInterval: retry.initialIntervalMs,
    backoffCoefficient: retry.backoffCoefficient,
    maximumInterval: retry.maximumIntervalMs,
    nonRetryableErrorTypes: ['ValidationError', 'NodeInputError'],
  };
}

type NodeCall = (args: NodeActivityArgs) => Promise<NodeActivityResult>;

function nodeCall(node: PlanNode): NodeCall {
  const name = nodeActivityName(node.type, node.version);
  const summary = `${node.label ?? node.id} (${node.type}@${node.version})`;
  // Cheap pure nodes run as local activities: no round trip through the server (SERVICES.md: 14 ms vs 21 ms a step).
  if (node.kind === 'local') {
    const options = { startToCloseTimeout: node.timeoutMs, retry: retryPolicy(node), summary };
    return proxyLocalActivities<Record<string, NodeCall>>(options)[name] as NodeCall;
  }
  const options: ActivityOptions = {
    startToCloseTimeout: node.timeoutMs,
    ...(node.heartbeatMs ? { heartbeatTimeout: node.heartbeatMs } : {}),
    retry: retryPolicy(node),
    summary,
    activityId: `node/${node.id}`,
  };
  return proxyActivities<Record<string, NodeCall>>(options)[name] as NodeCall;
}

export async function interpreter(input: RunInput): Promise<RunResult> {
  const { plan } = input;
  const info = workflowInfo();
  const states = new Map<string, NodeState>(
    plan.nodes.map((node) => [node.id, { id: node.id, type: node.type, status: 'pending' }]),
  );
  const outputs = new Map<string, Record<string, unknown>>();
  const completedOrder: PlanNode[] = [];
  const human: HumanWait = { waiting: new Map(), decided: new Map(), listed: new Set(), bindings: new Map() };
  let failed: { node: string; error: string } | undefined;

  const state = (id: string) => states.get(id) as NodeState;
  // Carried in every activity's arguments and result, so the payload codec seals them with the client's key.
  const clientId = (input.trigger.event as { clientId?: unknown } | undefined)?.clientId;
  const forClient = typeof clientId === 'string' && clientId ? { clientId } : {};
  const now = () => new Date().toISOString();

  setHandler(statusQuery, () => {
    const nodes = [...states.values()];
    const running = nodes.some((node) => node.status === 'running' || node.status === 'pending');
    return {
      planHash: plan.hash,
      status: failed ? 'failed' : human.listed.size > 0 ? 'waiting' : running ? 'running' : 'completed',
      nodes,
      waitingTasks: [...human.listed],
    };
  });

  // Decisions arrive as signals and are recorded by the main flow (see human-task.ts). The
  // sender learns the outcome through the `decision` query. (An update would answer directly,
  // but histories with updates did not pass the standalone replayer in SDK 1.24.)
  const outcomes = new Map<string, DecisionOutcome>();
  setHandler(decideSignal, (args) => {
    const refuse = (reason: string) => void outcomes.set(args.requestId, { refused: reason });
    if (outcomes.has(args.requestId)) return;
    if (!human.waiting.has(args.taskId)) return refuse(`task ${args.taskId} is not waiting for a decision in this run`);
    if (!['approved', 'edited', 'rejected'].includes(args.decision))
      return refuse(`unknown decision "${args.decision}"`);
    if (!args.reviewer?.trim()) return refuse('reviewer is required');
    if (args.decision === 'edited' && args.value === undefined) return refuse('an edit needs a value');
    const bound = human.bindings.get(args.taskId);
    if (bound && args.digest !== undefined && args.digest !== bound.digest)
      return refuse(
        `the decision is for call ${args.digest.slice(0, 12)}…, but the task waits on ${bound.tool} call ${bound.digest.slice(0, 12)}…`,
      );
    const request: DecisionRequest = { args, outcome: (outcome) => void outcomes.set(args.requestId, outcome) };
    human.waiting.get(args.taskId)?.push(request);
  });
  setHandler(decisionQuery, (requestId) => outcomes.get(requestId));

  const complete = (node: PlanNode, output: Record<string, unknown>, tier?: string) => {
    outputs.set(node.id, output);
    completedOrder.push(node);
    Object.assign(state(node.id), { status: 'completed', endedAt: now(), ...(tier ? { tier } : {}) });
  };
  const skip = (node: PlanNode, reason: string): void => {
    Object.assign(state(node.id), { status: 'skipped', endedAt: now(), reason });
  };

  async function execute(node: PlanNode, nodeInput: Record<string, unknown>): Promise<void> {
    Object.assign(state(node.id), { status: 'running', startedAt: now() });
    const recorded = input.recorded?.[node.id];
    if (recorded) return complete(node, recorded.output, 'recorded');
    if (input.mode === 'canary' && node.sideEffects)
      return skip(node, 'side effects do not run in a canary, and no recorded output exists');
    const canary = input.mode === 'canary' && patched(CANARY_ASKS_NOBODY);
    if (canary && node.kind === 'human') return skip(node, 'canary: a person would review this; nobody is asked');
    const run = { workflowId: info.workflowId, runId: info.runId, trellisWorkflowId: input.workflow.id, ...forClient };
    try {
      if (node.kind === 'human') {
        const outcome = await waitForHuman(human, reviews, state(node.id), node, nodeInput, run);
        return complete(node, outcome, 'human');
      }
      if (node.kind === 'agent') {
        const outcome = await runAgentLoop({
          human,
          reviews,
          state: state(node.id),
          node,
          input: nodeInput,
          run,
          timeoutMinutes: input.fallbackTimeoutMinutes ?? 2 * 24 * 60,
        });
        return 'output' in outcome ? complete(node, outcome.output, 'agent') : skip(node, outcome.skipped);
      }
      const result = await nodeCall(node)({
        node: { id: node.id, type: node.type, version: node.version, config: node.config },
        input: nodeInput,
        run: { ...run, idempotencyKey: `${info.workflowId}/${node.id}` },
      });
      if (result.output) return complete(node, result.output, result.meta?.tier);
      if (result.human && canary) {
        const decided = input.decisions?.[node.id];
        state(node.id).reason = `canary: would ask a person (${result.human.reason})`;
        if (decided) return complete(node, decided.output, 'recorded');
        return skip(node, `canary: would ask a person (${result.human.reason}); no recorded decision`);
      }
      if (result.human) {
        // Low confidence or no model: a person supplies the output; never a silent guess.
        const outcome = await waitForHuman(human, reviews, state(node.id), node, nodeInput, run, {
          request: result.human,
          outputSchema: result.outputSchema,
          timeoutMinutes: input.fallbackTimeoutMinutes ?? 2 * 24 * 60,
        });
        if (outcome.decision === 'rejected' || outcome.decision === 'expired') {
          return void skip(node, `${outcome.decision} by ${String(outcome.reviewer)}`);
        }
        return complete(node, outcome.value as Record<string, unknown>, 'human');
      }
      throw ApplicationFailure.nonRetryable(`node ${node.id} returned neither an output nor a human request`);
    } catch (error) {
      const message = errorText(error);
      Object.assign(state(node.id), { status: 'failed', endedAt: now(), error: message });
      if (!node.continueOnFailure) failed ??= { node: node.id, error: message };
    }
  }

  // Trigger: the run input is its output.
  const trigger = plan.nodes.find((node) => node.id === plan.trigger);
  if (trigger) {
    const triggerOutput: Record<string, unknown> = {};
    if (input.trigger.event !== undefined) triggerOutput.event = input.trigger.event;
    if (input.trigger.data !== undefined) triggerOutput.data = input.trigger.data;
    Object.assign(state(trigger.id), { startedAt: now() });
    complete(trigger, triggerOutput);
  }

  // Ready nodes start as soon as everything they depend on has settled; branches run concurrently.
  const running = new Map<string, Promise<void>>();
  const settled = (id: string) => ['completed', 'skipped', 'failed'].includes(state(id).status);
  for (;;) {
    if (!failed) {
      for (const node of plan.nodes) {
        if (state(node.id).status !== 'pending' || running.has(node.id)) continue;
        if (!node.dependsOn.every(settled)) continue;
        const assembled = assembleInput(node, (id) => (state(id).status === 'completed' ? outputs.get(id) : undefined));
        if ('missing' in assembled) {
          skip(node, `input "${assembled.missing}" was not produced upstream`);
          continue;
        }
        // Wired, but nothing arrived (every source sits on a branch not taken): skip rather than run empty.
        // patched() is asked only then, so histories without such a node are unaffected.
        const wired = node.inputs.some((port) => port.sources.length > 0);
        if (wired && Object.keys(assembled.input).length === 0 && patched(SKIP_WITHOUT_INPUT)) {
          skip(node, 'nothing arrived from upstream (its inputs come from branches not taken)');
          continue;
        }
        running.set(
          node.id,
          execute(node, assembled.input).finally(() => running.delete(node.id)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  if (failed) {
    // Saga: undo completed side effects in reverse order, then fail the run.
    for (const node of [...completedOrder].reverse()) {
      if (!node.compensable || input.recorded?.[node.id]) continue;
      const compensate = proxyActivities<Record<string, (args: unknown) => Promise<unknown>>>({
        startToCloseTimeout: node.timeoutMs,
        retry: { maximumAttempts: 10 },
        activityId: `compensate/${node.id}`,
      })[compensationActivityName(node.type, node.version)] as (args: unknown) => Promise<unknown>;
      await compensate({
        node: { id: node.id, type: node.type, version: node.version, config: node.config },
        output: outputs.get(node.id),
      });
    }
  }
  await condition(allHandlersFinished);

  const result: RunResult = {
    status: failed ? 'failed' : 'completed',
    planHash: plan.hash,
    outputs: Object.fromEntries(outputs),
    nodes: [...states.values()],
    ...(failed ? { failedNode: failed.node, error: failed.error } : {}),
  };
  if (failed) {
    throw ApplicationFailure.create({
      type: 'NodeFailed',
      message: `node ${failed.node} failed: ${failed.error}`,
      nonRetryable: true,
      details: [result],
    });
  }
  return result;
}
