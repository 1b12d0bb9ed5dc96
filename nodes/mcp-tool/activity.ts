import { ApplicationFailure } from '@temporalio/common';
import { callTool, McpCallError, type McpFailureKind } from '../../mcp/index.ts';
import { EnvelopeError } from '../../security/envelope.ts';
import { getMcpServerConnection } from '../../store/mcp-servers.ts';
import type { RunFn } from '../sdk/define-node.ts';
import { NodeInputError } from '../sdk/context.ts';
import { assertToolArguments } from './arguments.ts';
import { DEFAULT_TOOL_TIMEOUT_MS, type McpToolConfig, type McpToolInput, type McpToolOutput } from './definition.ts';

/** The failure type each kind fails the activity with: the ledger and the retry policy read it. */
const failureTypes: Record<McpFailureKind, string> = {
  timeout: 'McpTimeout',
  crashed: 'McpServerCrashed',
  'tool-error': 'McpToolError',
  protocol: 'McpProtocolError',
};

/**
 * The largest result kept as the node's output: it is stored in the run's history, where a payload
 * over Temporal's 2 MB limit would fail the whole run instead of this node.
 */
export const MAX_RESULT_BYTES = 1_000_000;

/**
 * A thin adapter over mcp/: loads the server with its secrets from the store (so they never
 * travel in the workflow's input or history), validates the arguments against the tool's schema,
 * and calls the tool once. A hang or a crash is retried by the activity's policy; an error the
 * tool answered, or a protocol failure, is final.
 */
export const runMcpTool: RunFn<McpToolConfig, McpToolInput, McpToolOutput> = async (input, config, context) => {
  const { db, keyring } = context.services;
  if (!keyring)
    throw new NodeInputError('this worker has no keyring (NodeServices.keyring): it cannot reach MCP servers');
  // Secrets that do not open with this keyring will not open on a retry either.
  const found = await getMcpServerConnection(db, keyring(), config.serverId).catch((error: unknown) => {
    throw error instanceof EnvelopeError ? new NodeInputError(error.message) : error;
  });
  if (!found) throw new NodeInputError(`MCP server "${config.serverId}" does not exist`);
  const args = input.arguments ?? {};
  try {
    const result = await callTool(
      found.connection,
      {
        tool: config.tool,
        arguments: args,
        beforeCall: (tool) => assertToolArguments(tool.name, tool.inputSchema, args),
      },
      { timeoutMs: config.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, signal: context.signal, serverName: found.server.name },
    );
    context.log('MCP tool called', { server: found.server.name, tool: config.tool });
    const output = {
      content: result.content,
      ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
      text: result.text,
    };
    const bytes = Buffer.byteLength(JSON.stringify(output));
    if (bytes > MAX_RESULT_BYTES)
      throw ApplicationFailure.create({
        type: 'McpResultTooLarge',
        message: `tool "${config.tool}" on "${found.server.name}" answered ${bytes} bytes, over the ${MAX_RESULT_BYTES} a node's output may hold`,
        nonRetryable: true,
      });
    return {
      output,
      meta: { notes: [`${config.tool} on ${found.server.name} (attempt ${context.attempt})`] },
    };
  } catch (error) {
    if (!(error instanceof McpCallError)) throw error;
    throw ApplicationFailure.create({
      type: failureTypes[error.kind],
      message: error.message,
      nonRetryable: !error.retryable,
    });
  }
};
