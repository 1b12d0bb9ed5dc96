// The agent node, run by the interpreter: think → tool calls → think … Each model call and each
// tool call is its own activity with a stable id, so the history is the ledger and replays exactly.
// Deterministic: workflow time, no hashing here (digests come back from the activities).
import { proxyActivities } from '@temporalio/workflow';
import { budgetStop } from '../../agent/budget.ts';
import { RepeatDetector } from '../../agent/loop-detection.ts';
import { nodeToolInput, withBoundInputs } from '../../agent/review-fields.ts';
import {
  assistantTurn,
  deniedText,
  expiredText,
  rejectedText,
  toolMessage,
  unknownToolText,
} from '../../agent/messages.ts';
import type {
  AgentCall,
  DigestedCall,
  PreparedAgent,
  ResolvedTool,
  ThinkResult,
  ToolResult,
} from '../../agent/types.ts';
import type { PlanNode } from '../../schemas/execution-plan.ts';
import type { AgentActivities } from '../activities/agent-activities.ts';
import type { ReviewActivities } from '../activities/review-activities.ts';
import { AGENT_PREPARE, AGENT_THINK, AGENT_TOOL } from './activity-names.ts';
import { waitForHuman, type HumanWait } from './human-task.ts';
import type { NodeState } from './run-types.ts';

type Reviews = Pick<ReviewActivities, 'createReviewTask' | 'escalateReviewTask' | 'settleReviewTask'>;

export interface AgentLoopContext {
  human: HumanWait;
  reviews: Reviews;
  state: NodeState;
  node: PlanNode;
  input: Record<string, unknown>;
  run: { workflowId: string; runId: string; trellisWorkflowId: string; clientId?: string };
  /** How long an approval or a hand-over task waits before it expires. */
  timeoutMinutes: number;
}

export type AgentLoopOutcome = { output: Record<string, unknown> } | { skipped: string };

/** The longest one model call may take, whatever is left of the wall-time budget. */
const THINK_TIMEOUT_MS = 180_000;

/** What a person finishing the work supplies. */
const FINISH_SCHEMA = {
  type: 'object',
  required: ['answer'],
  properties: { answer: { type: 'string', minLength: 1 } },
} as const;

/** One proxy per call: the activity id is what makes a step findable in the history (and the ledger). */
function activity<K extends keyof AgentActivities>(
  name: string,
  activityId: string,
  summary: string,
  timeoutMs: number,
  maximumAttempts: number,
): AgentActivities[K] {
  const proxies = proxyActivities<Record<string, AgentActivities[K]>>({
    startToCloseTimeout: timeoutMs,
    retry: { maximumAttempts, initialInterval: 1_000, nonRetryableErrorTypes: ['ValidationError'] },
    activityId,
    summary,
  });
  return proxies[name] as AgentActivities[K];
}

export async function runAgentLoop(ctx: AgentLoopContext): Promise<AgentLoopOutcome> {
  const { node, run, state } = ctx;
  const label = node.label ?? node.id;
  const forClient = run.clientId ? { clientId: run.clientId } : {};
  const runRef = { workflowId: run.workflowId, runId: run.runId, ...forClient };
  const prepare = activity<'prepare'>(
    AGENT_PREPARE,
    `agent/${node.id}/prepare`,
    `${label}: tools and budget`,
    60_000,
    3,
  );
  const prepared: PreparedAgent = await prepare({
    nodeId: node.id,
    config: node.config,
    input: ctx.input,
    run: runRef,
  });

  const started = Date.now();
  let waitedMs = 0; // Time spent waiting for a person does not count against the wall-time budget.
  const messages = [...prepared.messages];
  const usage = { tokens: 0, costUsd: 0 };
  const calls: AgentCall[] = [];
  const repeats = new RepeatDetector();
  let steps = 0;
  let lastText = '';
  const spent = () => ({ steps, ...usage, elapsedMs: Date.now() - started - waitedMs });
  const charge = (meta: ThinkResult['meta'] | ToolResult['meta']) => {
    usage.tokens += meta.tokens ?? 0;
    usage.costUsd += meta.costUsd ?? 0;
  };
  const summary = () => ({ steps, usage: { ...usage }, calls: [...calls] });

  /** Ends the loop into a task: a person writes the answer; the reason stays on the node and the task. */
  const handOver = async (reason: string): Promise<AgentLoopOutcome> => {
    state.reason = reason;
    const before = Date.now();
    const outcome = await waitForHuman(ctx.human, ctx.reviews, state, node, ctx.input, run, {
      request: {
        kind: 'fallback',
        title: `Finish: ${label}`,
        instructions:
          'The agent stopped before it finished. Read what it did and write the answer it should have given.',
        reason,
        context: { goal: prepared.messages.at(-1)?.content, transcript: messages, ...summary() },
        ...(lastText ? { proposed: { answer: lastText } } : {}),
      },
      outputSchema: FINISH_SCHEMA,
      timeoutMinutes: ctx.timeoutMinutes,
    });
    waitedMs += Date.now() - before;
    if (outcome.decision === 'rejected' || outcome.decision === 'expired')
      return { skipped: `${reason}; then ${String(outcome.decision)} by ${String(outcome.reviewer)}` };
    const given = (outcome.value as { answer?: unknown } | undefined)?.answer;
    const answer = typeof given === 'string' ? given : '';
    return { output: { answer, ...summary(), finishedBy: String(outcome.reviewer) } };
  };

  /** An approval task for one exact call; returns the arguments to run, or the text the model gets instead. */
  const approve = async (tool: ResolvedTool, call: DigestedCall, step: number, index: number) => {
    const server = tool.target.kind === 'mcp' ? tool.target.serverId : undefined;
    const before = Date.now();
    const outcome = await waitForHuman(ctx.human, ctx.reviews, state, node, ctx.input, run, {
      request: {
        kind: 'review',
        title: `Allow ${tool.name}${server ? ` on ${server}` : ''}? (${label})`,
        instructions:
          'The agent asks to run this tool with these arguments. Approve to run it once as shown, edit the arguments to run those instead, or reject with a note the agent will read.',
        reason: `policy "ask" for ${tool.ref}`,
        context: {
          tool: tool.name,
          ref: tool.ref,
          ...(server ? { server } : {}),
          arguments: call.arguments,
          digest: call.digest,
          policyVersion: prepared.policyVersion,
          step,
          call: index,
        },
        proposed: call.arguments,
      },
      outputSchema: tool.spec.parameters,
      timeoutMinutes: ctx.timeoutMinutes,
      taskId: `${run.workflowId}:${node.id}:${step}:${index}`,
      binding: { tool: tool.ref, digest: call.digest, policyVersion: prepared.policyVersion },
    });
    waitedMs += Date.now() - before;
    const decision = outcome.decision as NonNullable<AgentCall['decision']>;
    const reviewer = String(outcome.reviewer);
    if (decision === 'approved') return { decision, reviewer, args: call.arguments };
    if (decision === 'edited') return { decision, reviewer, args: outcome.value as Record<string, unknown> };
    if (decision === 'rejected')
      return { decision, text: rejectedText(tool.name, reviewer, outcome.note as string | undefined) };
    return { decision, text: expiredText(tool.name) };
  };

  for (;;) {
    const stop = budgetStop(prepared.budget, spent(), true);
    if (stop) return handOver(stop);
    const step = steps + 1;
    const left = prepared.budget.maxWallMs - spent().elapsedMs;
    const think = activity<'think'>(
      AGENT_THINK,
      `agent/${node.id}/${step}/think`,
      `${label}: step ${step}, model call`,
      THINK_TIMEOUT_MS,
      3,
    );
    const thought = await think({
      nodeId: node.id,
      step,
      messages,
      tools: prepared.tools.map((tool) => tool.spec),
      tiers: prepared.tiers,
      maxCostUsd: Math.max(0, prepared.budget.maxCostUsd - usage.costUsd),
      maxLatencyMs: Math.max(1_000, Math.min(THINK_TIMEOUT_MS - 5_000, left)),
      run: runRef,
    });
    steps = step;
    charge(thought.meta);
    if (!thought.reply) return handOver(`no model could answer: ${thought.human ?? 'unknown reason'}`);
    lastText = thought.reply.text || lastText;
    if (thought.reply.toolCalls.length === 0) return { output: { answer: thought.reply.text, ...summary() } };

    messages.push(assistantTurn(thought.reply.text, thought.reply.toolCalls));
    for (const [offset, call] of thought.reply.toolCalls.entries()) {
      const index = offset + 1;
      const tool = prepared.tools.find((candidate) => candidate.name === call.name);
      const looping = repeats.record(call.name, call.digest);
      if (looping) return handOver(looping);
      if (!tool) {
        const known = prepared.tools.map((t) => t.name);
        messages.push(toolMessage(call.id, unknownToolText(call.name, known)));
        calls.push({ tool: call.name, policy: 'deny', digest: call.digest, ok: false });
        continue;
      }
      if (tool.policy === 'deny') {
        messages.push(toolMessage(call.id, deniedText(tool.name)));
        calls.push({ tool: tool.ref, policy: 'deny', digest: call.digest, ok: false });
        continue;
      }
      let args = call.arguments;
      let decision: AgentCall['decision'];
      let approvedBy: { decision: 'approved' | 'edited'; reviewer: string } | undefined;
      if (tool.policy === 'ask') {
        const approval = await approve(tool, call, step, index);
        decision = approval.decision;
        if (approval.text !== undefined) {
          messages.push(toolMessage(call.id, approval.text));
          calls.push({ tool: tool.ref, policy: 'ask', decision, digest: call.digest, ok: false });
          continue;
        }
        args = approval.args;
        if (approval.decision === 'approved' || approval.decision === 'edited')
          approvedBy = { decision: approval.decision, reviewer: approval.reviewer };
      }
      // A node learns of a person's approval from its review fields: only a real approval sets them.
      if (tool.target.kind === 'node') args = withBoundInputs(nodeToolInput(args, approvedBy), tool.bound, ctx.input);
      const toolStop = budgetStop(prepared.budget, spent(), false);
      if (toolStop) return handOver(toolStop);
      const runTool = activity<'tool'>(
        AGENT_TOOL,
        `agent/${node.id}/${step}/tool/${index}`,
        `${label}: step ${step}, ${tool.name}${decision ? ` (${decision})` : ''}`,
        tool.timeoutMs,
        tool.maximumAttempts,
      );
      const result = await runTool({
        nodeId: node.id,
        step,
        index,
        tool: { name: tool.name, ref: tool.ref, target: tool.target, config: tool.config },
        arguments: args,
        run: { ...runRef, idempotencyKey: `${run.workflowId}/${node.id}/${step}/${index}` },
      });
      charge(result.meta);
      messages.push(toolMessage(call.id, result.content));
      calls.push({
        tool: tool.ref,
        policy: tool.policy,
        ...(decision ? { decision } : {}),
        digest: call.digest,
        ok: result.ok,
      });
    }
  }
}
