// The agent node's three activities: prepare (resolve tools, policies, budget), think (one model
// call), tool (one tool call). The loop that strings them together is workflow code (agent-loop.ts).
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import Mustache from 'mustache';
import { argumentsDigest, policyVersion } from '../../agent/digest.ts';
import { boundPorts, offeredArguments, withoutPorts, withoutReviewFields } from '../../agent/review-fields.ts';
import { openingMessages, resultText } from '../../agent/messages.ts';
import { modelToolName, parseToolRef, resolveBudget, toolPolicy } from '../../agent/policy.ts';
import type {
  PrepareArgs,
  PreparedAgent,
  ResolvedTool,
  ThinkArgs,
  ThinkResult,
  ToolArgs,
  ToolResult,
} from '../../agent/types.ts';
import { agentForNodeType } from '../../control/agents/registry.ts';
import { listTools } from '../../mcp/index.ts';
import { agentDeclaration, type AgentConfig } from '../../nodes/agent/definition.ts';
import { NodeInputError, type NodeOutcome, type NodeServices } from '../../nodes/sdk/context.ts';
import type { NodeDefinition } from '../../nodes/sdk/define-node.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import { fieldErrors, validatorFor, ValidationError } from '../../schemas/ajv.ts';
import { getMcpServerConnection } from '../../store/mcp-servers.ts';
import { AGENT_PREPARE, AGENT_THINK, AGENT_TOOL } from '../workflows/activity-names.ts';

/** Listing an MCP server's tools to show the model their schemas. */
const LIST_TOOLS_TIMEOUT_MS = 20_000;
const THINK_MAX_OUTPUT_TOKENS = 1_024;

/** Problems of the drawn workflow: retrying cannot fix them, so the activity fails for good. */
function final(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'ValidationError', message, nonRetryable: true });
}

function problems(schema: object, value: unknown, at: string): string | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  return fieldErrors(validate.errors, at)
    .map((e) => `${e.pointer} ${e.message}`)
    .join('; ');
}

/** A node type the agent may run: one with code (activity or local). */
function toolNode(registry: NodeRegistry, nodeType: string): NodeDefinition {
  const definition = registry.latest(nodeType);
  if (!definition) throw final(`tool node:${nodeType}: there is no such node type`);
  if (!definition.run) throw final(`tool node:${nodeType}: a ${definition.execution.kind} node cannot be a tool`);
  return definition;
}

/** A tool call runs with its node type's own timeout and retries. */
function attemptsOf(definition: NodeDefinition | undefined): { timeoutMs: number; maximumAttempts: number } {
  return {
    timeoutMs: definition?.execution.timeoutMs ?? 60_000,
    maximumAttempts: definition?.execution.retry?.maximumAttempts ?? 3,
  };
}

async function mcpToolSpec(services: NodeServices, serverId: string, tool: string) {
  const fallback = { description: `Tool ${tool} of an MCP server.`, parameters: { type: 'object' } };
  if (!services.keyring) return { ...fallback, note: 'no keyring: the tool’s schema is unknown' };
  try {
    const found = await getMcpServerConnection(services.db, services.keyring(), serverId);
    if (!found) throw final(`tool mcp:${serverId}/${tool}: MCP server "${serverId}" does not exist`);
    const listed = await listTools(found.connection, {
      timeoutMs: LIST_TOOLS_TIMEOUT_MS,
      serverName: found.server.name,
    });
    const info = listed.find((entry) => entry.name === tool);
    if (!info) throw final(`tool mcp:${serverId}/${tool}: "${found.server.name}" has no tool "${tool}"`);
    return { description: info.description ?? info.title ?? fallback.description, parameters: info.inputSchema };
  } catch (error) {
    if (error instanceof ApplicationFailure) throw error;
    // The server may be down now and up when the call is made: the call validates the arguments then.
    return { ...fallback, note: `could not list the tools of ${serverId}: ${(error as Error).message}` };
  }
}

export function createAgentActivities(registry: NodeRegistry, services: NodeServices) {
  async function prepare(args: PrepareArgs): Promise<PreparedAgent & { notes: string[] }> {
    const invalid = problems(agentDeclaration.config, args.config, '/config');
    if (invalid) throw final(`agent@1 config is invalid: ${invalid}`);
    const config = args.config as AgentConfig;
    const notes: string[] = [];
    const taken = new Set<string>();
    const tools: ResolvedTool[] = [];
    for (const [index, tool] of config.tools.entries()) {
      const target = parseToolRef(tool.ref);
      const name = modelToolName(target, taken);
      if (target.kind === 'node') {
        const definition = toolNode(registry, target.nodeType);
        const toolConfig = tool.config ?? {};
        const bad = problems(definition.config, toolConfig, `/config/tools/${index}/config`);
        if (bad) throw final(`tool ${tool.ref}: its config is invalid: ${bad}`);
        const bound = boundPorts(definition.input, args.input);
        tools.push({
          name,
          ref: tool.ref,
          target,
          policy: toolPolicy(tool.policy, definition.sideEffects),
          spec: {
            name,
            description: tool.description ?? definition.description,
            parameters: withoutPorts(withoutReviewFields(definition.input), bound),
          },
          ...(bound.length > 0 ? { bound } : {}),
          config: toolConfig,
          ...attemptsOf(definition),
        });
      } else {
        const spec = await mcpToolSpec(services, target.serverId, target.tool);
        if ('note' in spec && spec.note) notes.push(spec.note);
        tools.push({
          name,
          ref: tool.ref,
          target,
          policy: toolPolicy(tool.policy, true),
          spec: { name, description: tool.description ?? spec.description, parameters: spec.parameters },
          config: {},
          ...attemptsOf(registry.get('mcp-tool', 1)),
        });
      }
    }
    const agent = await agentForNodeType(services.db, 'agent');
    const registered = agent?.enabled ? agent.budget : undefined;
    const goal = Mustache.render(config.goal, args.input, {}, { escape: (value: unknown) => String(value) });
    return {
      nodeId: args.nodeId,
      ...(args.run.clientId ? { clientId: args.run.clientId } : {}),
      messages: openingMessages(goal, config.instructions),
      tools,
      budget: resolveBudget(config.budget, registered),
      budgetSource: registered ? `agent registry entry ${agent?.id}` : 'defaults',
      policyVersion: policyVersion(config.tools),
      tiers: config.tier === 'local' ? ['local'] : ['local', 'provider'],
      notes,
    };
  }

  async function think(args: ThinkArgs): Promise<ThinkResult> {
    const result = await services.models.call<{
      text: string;
      toolCalls: NonNullable<ThinkResult['reply']>['toolCalls'];
    }>({
      nodeType: 'agent',
      policy: { maxCostUsd: args.maxCostUsd, maxLatencyMs: args.maxLatencyMs, minConfidence: 0, tiers: args.tiers },
      provider: {
        messages: args.messages,
        ...(args.tools.length > 0 ? { tools: args.tools } : {}),
        maxOutputTokens: THINK_MAX_OUTPUT_TOKENS,
        parse: (text, reply) => ({
          value: {
            text,
            toolCalls: (reply.toolCalls ?? []).map((call) => {
              const spec = args.tools.find((tool) => tool.name === call.name);
              const offered = spec ? offeredArguments(call.arguments, spec.parameters) : call.arguments;
              return { ...call, arguments: offered, digest: argumentsDigest(offered) };
            }),
          },
          confidence: 1,
        }),
      },
      signal: Context.current().cancellationSignal,
    });
    const base = {
      nodeId: args.nodeId,
      ...(args.run.clientId ? { clientId: args.run.clientId } : {}),
      meta: result.meta,
    };
    if (result.status === 'human') return { ...base, human: result.reason };
    return { ...base, reply: result.value };
  }

  async function tool(args: ToolArgs): Promise<ToolResult> {
    const { target } = args.tool;
    const definition = target.kind === 'node' ? toolNode(registry, target.nodeType) : registry.get('mcp-tool', 1);
    if (!definition?.run) throw final('the mcp-tool node is not registered on this worker');
    const config = target.kind === 'node' ? args.tool.config : { serverId: target.serverId, tool: target.tool };
    const input = target.kind === 'node' ? args.arguments : { arguments: args.arguments };
    const base = {
      nodeId: args.nodeId,
      ...(args.run.clientId ? { clientId: args.run.clientId } : {}),
      digest: argumentsDigest(args.arguments),
    };
    const refused = (content: string, notes: string[] = []) => ({ ...base, ok: false, content, meta: { notes } });
    // Bad arguments are the model's mistake: it is told which field, and may try again.
    const bad = problems(definition.input, input, target.kind === 'node' ? '/arguments' : '');
    if (bad) return refused(`The arguments are invalid: ${bad}`);
    const activity = Context.current();
    let outcome: NodeOutcome<unknown>;
    try {
      outcome = await definition.run(input, config, {
        workflowId: args.run.workflowId,
        runId: args.run.runId,
        nodeId: args.nodeId,
        attempt: activity.info.attempt,
        idempotencyKey: args.run.idempotencyKey,
        services,
        signal: activity.cancellationSignal,
        heartbeat: (details?: unknown) => activity.heartbeat(details),
        log: (message, fields) => {
          activity.log.info(message, { nodeId: args.nodeId, tool: args.tool.ref, ...fields });
        },
      });
    } catch (error) {
      // Errors retrying cannot fix go back to the model; others are retried with the same idempotency key.
      const isFinal =
        error instanceof NodeInputError ||
        error instanceof ValidationError ||
        (error instanceof ApplicationFailure && error.nonRetryable);
      if (!isFinal) throw error;
      return refused(`The tool failed: ${(error as Error).message}`);
    }
    const meta = outcome.meta ?? {};
    if ('human' in outcome) {
      return refused(`${args.tool.name} needs a person and did not answer: ${outcome.human.reason}`, meta.notes ?? []);
    }
    const wrong = problems(definition.output, outcome.output, '/output');
    if (wrong) throw final(`${args.tool.ref} output is invalid: ${wrong}`);
    return { ...base, ok: true, content: resultText(outcome.output), meta };
  }

  return { [AGENT_PREPARE]: prepare, [AGENT_THINK]: think, [AGENT_TOOL]: tool };
}

export interface AgentActivities {
  prepare(args: PrepareArgs): Promise<PreparedAgent & { notes: string[] }>;
  think(args: ThinkArgs): Promise<ThinkResult>;
  tool(args: ToolArgs): Promise<ToolResult>;
}
