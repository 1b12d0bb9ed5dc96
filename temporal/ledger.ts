// The execution ledger, read back from a run's Temporal history and nothing else: what ran,
// with which input and config, what it returned, how many attempts, which tier and model,
// what it cost, and every human decision. There is no second write path.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import { agentSummary } from './ledger-agent.ts';
import type { temporal } from '@temporalio/proto';
import type { Approval, LedgerEntry } from '../schemas/ledger-entry.ts';
import type { PlanNode } from '../schemas/execution-plan.ts';
import { assembleInput } from './workflows/assemble-input.ts';
import { erasedLedger } from './codec/erased-ledger.ts';
import { isErasedMarker } from './codec/payload-codec.ts';
import type { Ledger } from './ledger-model.ts';
import { COMPENSATION_ACTIVITY_PREFIX, NODE_ACTIVITY_PREFIX } from './workflows/activity-names.ts';
import type {
  NodeActivityArgs,
  NodeActivityResult,
  NodeState,
  ReviewTaskArgs,
  RunInput,
  RunResult,
  SettleArgs,
  SettledTask,
} from './workflows/run-types.ts';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export type { Ledger } from './ledger-model.ts';

function decode<T>(payloads: { payloads?: Payload[] | null } | null | undefined): T | undefined {
  const first = payloads?.payloads?.[0];
  return first ? defaultPayloadConverter.fromPayload<T>(first) : undefined;
}

function isoOf(event: HistoryEvent): string {
  return new Date(optionalTsToMs(event.eventTime) ?? 0).toISOString();
}

interface ScheduledActivity {
  type: string;
  activityId: string;
  args: unknown;
  scheduledAt: string;
  startedAt?: string;
  attempt?: number;
  endedAt?: string;
  result?: unknown;
  failure?: string;
}

interface LocalMarker {
  type: string;
  attempt: number;
  scheduledAt?: string;
  endedAt?: string;
  result?: unknown;
  failure?: string;
}

function failureMessage(failure: temporal.api.failure.v1.IFailure | null | undefined): string {
  let current = failure;
  let message = current?.message ?? 'failed';
  while (current?.cause) {
    current = current.cause;
    message = current.message ?? message;
  }
  return message;
}

/** The run's input (plan, trigger, recorded outputs) from its first history event. */
export function runInputOf(history: History): RunInput {
  const input = decode<RunInput>(history.events?.[0]?.workflowExecutionStartedEventAttributes?.input);
  if (isErasedMarker(input))
    throw new Error(`the client of this run was erased at ${input.erasedAt} by ${input.erasedBy}`);
  if (!input?.plan) throw new Error('not a Trellis run: its history has no plan');
  return input;
}

/** Indexes the activities, local-activity markers and final result of a history. */
function scan(history: History) {
  const activities = new Map<string, ScheduledActivity>();
  const markers: LocalMarker[] = [];
  let input: RunInput | undefined;
  let result: RunResult | undefined;
  let status: Ledger['status'] = 'running';
  let error: string | undefined;
  let runId = '';
  let startedAt = '';
  let endedAt: string | undefined;
  for (const event of history.events ?? []) {
    const id = String(event.eventId);
    if (event.workflowExecutionStartedEventAttributes) {
      const attributes = event.workflowExecutionStartedEventAttributes;
      input = decode<RunInput>(attributes.input);
      runId = attributes.originalExecutionRunId ?? '';
      startedAt = isoOf(event);
    } else if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes;
      activities.set(id, {
        type: attributes.activityType?.name ?? '',
        activityId: attributes.activityId ?? '',
        args: decode(attributes.input),
        scheduledAt: isoOf(event),
      });
    } else if (event.activityTaskStartedEventAttributes) {
      const activity = activities.get(String(event.activityTaskStartedEventAttributes.scheduledEventId));
      if (activity)
        Object.assign(activity, {
          startedAt: isoOf(event),
          attempt: event.activityTaskStartedEventAttributes.attempt ?? 1,
        });
    } else if (event.activityTaskCompletedEventAttributes) {
      const activity = activities.get(String(event.activityTaskCompletedEventAttributes.scheduledEventId));
      if (activity)
        Object.assign(activity, {
          endedAt: isoOf(event),
          result: decode(event.activityTaskCompletedEventAttributes.result),
        });
    } else if (event.activityTaskFailedEventAttributes) {
      const activity = activities.get(String(event.activityTaskFailedEventAttributes.scheduledEventId));
      if (activity)
        Object.assign(activity, {
          endedAt: isoOf(event),
          failure: failureMessage(event.activityTaskFailedEventAttributes.failure),
        });
    } else if (event.activityTaskTimedOutEventAttributes) {
      const activity = activities.get(String(event.activityTaskTimedOutEventAttributes.scheduledEventId));
      if (activity)
        Object.assign(activity, {
          endedAt: isoOf(event),
          failure: `timed out: ${failureMessage(event.activityTaskTimedOutEventAttributes.failure)}`,
        });
    } else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      const details = event.markerRecordedEventAttributes.details ?? {};
      const data = decode<{
        activity_type: string;
        attempt: number;
        original_schedule_time?: { seconds: number; nanos: number };
      }>(details.data);
      const scheduled = data?.original_schedule_time;
      markers.push({
        type: data?.activity_type ?? '',
        attempt: data?.attempt ?? 1,
        ...(scheduled
          ? { scheduledAt: new Date(scheduled.seconds * 1000 + Math.floor(scheduled.nanos / 1e6)).toISOString() }
          : {}),
        endedAt: isoOf(event),
        ...(details.result
          ? { result: decode(details.result) }
          : { failure: failureMessage(event.markerRecordedEventAttributes.failure) }),
      });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      status = 'completed';
      endedAt = isoOf(event);
      result = decode<RunResult>(event.workflowExecutionCompletedEventAttributes.result);
    } else if (event.workflowExecutionFailedEventAttributes) {
      status = 'failed';
      endedAt = isoOf(event);
      const failure = event.workflowExecutionFailedEventAttributes.failure;
      error = failure?.message ?? 'failed';
      result = decode<RunResult>(failure?.applicationFailureInfo?.details);
    } else if (event.workflowExecutionCanceledEventAttributes) {
      status = 'cancelled';
      endedAt = isoOf(event);
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      status = 'terminated';
      endedAt = isoOf(event);
      error = event.workflowExecutionTerminatedEventAttributes.reason ?? 'terminated';
    } else if (event.workflowExecutionTimedOutEventAttributes) {
      status = 'timed-out';
      endedAt = isoOf(event);
    }
  }
  return { activities: [...activities.values()], markers, input, result, status, error, runId, startedAt, endedAt };
}

/** Activities indexed once, so building a ledger stays linear in the size of the history. */
interface ActivityIndex {
  byActivityId: Map<string, ScheduledActivity>;
  /** The last createReviewTask call by node id. */
  taskCreated: Map<string, ScheduledActivity>;
  /** Every createReviewTask call by node id (an agent node asks once per call that needs approval). */
  tasksOf: Map<string, ScheduledActivity[]>;
  /** settle and escalate calls by task id, in history order. */
  byTask: Map<string, ScheduledActivity[]>;
}

function indexActivities(activities: ScheduledActivity[]): ActivityIndex {
  const index: ActivityIndex = {
    byActivityId: new Map(),
    taskCreated: new Map(),
    tasksOf: new Map(),
    byTask: new Map(),
  };
  for (const activity of activities) {
    index.byActivityId.set(activity.activityId, activity);
    if (activity.type === 'createReviewTask') {
      const { nodeId } = activity.args as ReviewTaskArgs;
      index.taskCreated.set(nodeId, activity);
      index.tasksOf.set(nodeId, [...(index.tasksOf.get(nodeId) ?? []), activity]);
    }
    if (activity.type === 'settleReviewTask' || activity.type === 'escalateReviewTask') {
      const taskId = (activity.args as { taskId: string }).taskId;
      const list = index.byTask.get(taskId) ?? [];
      list.push(activity);
      index.byTask.set(taskId, list);
    }
  }
  return index;
}

function approvalsFor(
  nodeId: string,
  index: ActivityIndex,
): { approvals: Approval[]; notes: string[]; taskId?: string } {
  const approvals: Approval[] = [];
  const notes: string[] = [];
  let taskId: string | undefined;
  for (const created of index.tasksOf.get(nodeId) ?? []) {
    taskId = (created.args as ReviewTaskArgs).id;
    notes.push(`review task ${taskId} created`);
    for (const activity of index.byTask.get(taskId) ?? []) {
      if (activity.type === 'escalateReviewTask') notes.push(`escalated to ${(activity.args as { to: string }).to}`);
      if (activity.type !== 'settleReviewTask') continue;
      const args = activity.args as SettleArgs;
      if (activity.failure) {
        notes.push(`decision "${args.state}" by ${args.reviewer} refused: ${activity.failure}`);
        continue;
      }
      const settled = activity.result as SettledTask | undefined;
      if (!settled) continue;
      const approval: Approval = {
        taskId,
        decision: settled.state,
        reviewer: settled.reviewer,
        decidedAt: settled.decidedAt,
      };
      if (settled.value !== undefined && settled.value !== null) approval.value = settled.value;
      if (settled.note) approval.note = settled.note;
      approvals.push(approval);
    }
  }
  return { approvals, notes, ...(taskId ? { taskId } : {}) };
}

/** Builds one LedgerEntry per plan node from the history alone. */
export function buildLedger(workflowId: string, history: History): Ledger {
  const { activities, markers, input, result, status, error, runId, startedAt, endedAt } = scan(history);
  const eventCount = history.events?.length ?? 0;
  if (isErasedMarker(input))
    return erasedLedger(workflowId, input, { runId, status, startedAt, eventCount, ...(endedAt ? { endedAt } : {}) });
  if (!input?.plan) throw new Error(`${workflowId} is not a Trellis run (no plan in its input)`);
  const { plan } = input;
  const index = indexActivities(activities);
  const finalStates = new Map<string, NodeState>((result?.nodes ?? []).map((node) => [node.id, node]));
  const outputs = new Map<string, Record<string, unknown>>();
  const localByNode = new Map<string, LocalMarker>();
  for (const marker of markers) {
    const nodeId = (marker.result as NodeActivityResult | undefined)?.nodeId;
    if (nodeId) localByNode.set(nodeId, marker);
  }

  const entry = (node: PlanNode): LedgerEntry => {
    const base: LedgerEntry = {
      runId,
      nodeId: node.id,
      nodeType: node.type,
      nodeVersion: node.version,
      status: 'pending',
      attempt: 0,
      config: node.config,
      approvals: [],
    };
    const final = finalStates.get(node.id);
    const assembled = assembleInput(node, (id) => outputs.get(id));
    if ('input' in assembled) base.input = assembled.input;

    if (node.id === plan.trigger) {
      const output: Record<string, unknown> = {};
      if (input.trigger.event !== undefined) output.event = input.trigger.event;
      if (input.trigger.data !== undefined) output.data = input.trigger.data;
      outputs.set(node.id, output);
      return {
        ...base,
        status: 'completed',
        attempt: 1,
        startedAt,
        endedAt: startedAt,
        output,
        tier: 'none',
        costUsd: 0,
      };
    }
    const recorded = input.recorded?.[node.id];
    if (recorded) {
      outputs.set(node.id, recorded.output);
      return {
        ...base,
        status: 'completed',
        attempt: 0,
        output: recorded.output,
        tier: 'recorded',
        costUsd: 0,
        notes: ['output recorded from an earlier run'],
      };
    }

    const human = approvalsFor(node.id, index);
    const agent = node.kind === 'agent' ? agentSummary(node.id, activities) : undefined;
    const candidate = index.byActivityId.get(`node/${node.id}`);
    const scheduled = candidate?.type.startsWith(NODE_ACTIVITY_PREFIX) ? candidate : undefined;
    const local = localByNode.get(node.id);
    const call = scheduled ?? local;
    const activityResult = call?.result as NodeActivityResult | undefined;
    if (scheduled) base.input = (scheduled.args as NodeActivityArgs).input;
    const meta: NonNullable<NodeActivityResult['meta']> = agent ?? activityResult?.meta ?? {};
    const notes = [...(meta.notes ?? []), ...human.notes];
    const lastApproval = human.approvals.at(-1);

    let output: Record<string, unknown> | undefined;
    if (activityResult?.output) output = activityResult.output;
    else if (agent && final?.status === 'completed') output = result?.outputs[node.id];
    else if (node.kind === 'human' && lastApproval) {
      output = { decision: lastApproval.decision, reviewer: lastApproval.reviewer, decidedAt: lastApproval.decidedAt };
      if (lastApproval.value !== undefined) output.value = lastApproval.value;
      if (lastApproval.note) output.note = lastApproval.note;
    } else if (activityResult?.human && lastApproval && ['approved', 'edited'].includes(lastApproval.decision)) {
      output = lastApproval.value as Record<string, unknown>;
    }
    if (output) outputs.set(node.id, output);

    // An agent starts with its prepare step and ends when the loop does, not at its last approval.
    const humanStart = agent ? index.byActivityId.get(`agent/${node.id}/prepare`) : index.taskCreated.get(node.id);
    const started = scheduled?.startedAt ?? local?.scheduledAt ?? humanStart?.scheduledAt ?? final?.startedAt;
    const ended = agent ? final?.endedAt : (lastApproval?.decidedAt ?? call?.endedAt ?? final?.endedAt);
    const failure = call?.failure ?? final?.error;
    const entryStatus: LedgerEntry['status'] = output
      ? 'completed'
      : failure
        ? 'failed'
        : (final?.status ?? (status === 'running' ? (call || humanStart ? 'waiting' : 'pending') : 'skipped'));
    const tier = activityResult?.human || node.kind === 'human' ? 'human' : meta.tier;
    const done: LedgerEntry = {
      ...base,
      status: entryStatus,
      attempt: scheduled?.attempt ?? local?.attempt ?? (humanStart ? 1 : 0),
      approvals: human.approvals,
      costUsd: meta.costUsd ?? 0,
    };
    if (started) done.startedAt = started;
    if (ended && entryStatus !== 'waiting' && entryStatus !== 'pending') done.endedAt = ended;
    if (output) done.output = output;
    if (failure && !output) done.error = failure;
    if (tier) done.tier = tier;
    if (meta.model) done.model = meta.model;
    if (meta.latencyMs !== undefined) done.latencyMs = meta.latencyMs;
    if (meta.confidence !== undefined) done.confidence = meta.confidence;
    if (final?.reason) notes.push(final.reason);
    if (notes.length > 0) done.notes = notes;
    if (agent?.timeline) done.agent = agent.timeline;
    return done;
  };

  const byId = new Map(plan.nodes.map((node) => [node.id, node]));
  const entries = plan.order.map((id) => entry(byId.get(id) as PlanNode));
  const compensations = activities
    .filter((a) => a.type.startsWith(COMPENSATION_ACTIVITY_PREFIX) && a.endedAt && !a.failure)
    .map((a) => ({ nodeId: a.activityId.replace(/^compensate\//, ''), at: a.endedAt as string }));
  const ledger: Ledger = {
    workflowId,
    runId,
    planHash: plan.hash,
    planName: plan.name,
    workflow: input.workflow,
    mode: input.mode ?? 'live',
    status,
    startedAt,
    trigger: input.trigger,
    entries,
    compensations,
    totals: {
      costUsd: entries.reduce((sum, e) => sum + (e.costUsd ?? 0), 0),
      tokens: activities.reduce((sum, a) => sum + ((a.result as NodeActivityResult | undefined)?.meta?.tokens ?? 0), 0),
      humanDecisions: entries.reduce((sum, e) => sum + e.approvals.length, 0),
    },
    eventCount,
  };
  if (endedAt) ledger.endedAt = endedAt;
  if (input.routing) ledger.routing = input.routing;
  if (input.rerunOf) ledger.rerunOf = input.rerunOf;
  if (error) ledger.error = error;
  return ledger;
}
