// One short session per operation: connect, list or call, close — always, whatever happened —
// under one deadline, and every failure sorted into the four kinds of mcp/errors.ts. No child
// process outlives a call, so the worker has nothing to supervise (docs/NOTES.md).
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { createSession, type McpSession } from './connect.ts';
import { redact, secretValuesOf, type McpConnection } from './connection.ts';
import { classify, McpCallError } from './errors.ts';

export interface McpCallOptions {
  /** The whole operation's budget, the handshake included. */
  timeoutMs: number;
  /** The caller's cancellation (an activity's cancellation signal). */
  signal?: AbortSignal;
  /** Names the server in messages (its registry name). */
  serverName: string;
}

/** A tool as a server lists it: what a palette or a validator needs. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

/** An error of the caller's own hook (beforeCall): passed on as it is, not sorted. */
class CallerError extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('caller error');
    this.original = original;
  }
}

async function withSession<T>(
  connection: McpConnection,
  what: string,
  options: McpCallOptions,
  work: (session: McpSession, request: RequestOptions) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const secrets = secretValuesOf(connection);
  let session: McpSession | undefined;
  try {
    session = createSession(connection);
    // The SDK's request timeout and the whole operation's deadline: whichever ends first ends it.
    const request = { timeout: options.timeoutMs, signal };
    await session.connect(request);
    return await work(session, request);
  } catch (error) {
    if (error instanceof CallerError) throw error.original;
    const sorted = classify(error, what, {
      timeoutMs: options.timeoutMs,
      timedOut: deadline.aborted,
      process: session?.processReport(),
    });
    // A server may echo its environment or headers in stderr or an error: never pass them on.
    throw new McpCallError(sorted.kind, redact(sorted.message, secrets));
  } finally {
    await session?.close();
  }
}

/** Every page of the server's tool list. */
async function allTools(session: McpSession, request: RequestOptions): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await session.client.listTools(cursor ? { cursor } : {}, request);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

const infoOf = (tool: Tool): McpToolInfo => ({
  name: tool.name,
  ...(tool.title ? { title: tool.title } : {}),
  ...(tool.description ? { description: tool.description } : {}),
  inputSchema: tool.inputSchema,
  ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
});

/** The server's tools, within the deadline. */
export async function listTools(connection: McpConnection, options: McpCallOptions): Promise<McpToolInfo[]> {
  const what = `listing the tools of "${options.serverName}"`;
  return withSession(connection, what, options, async (session, request) =>
    (await allTools(session, request)).map(infoOf),
  );
}

export interface McpToolCall {
  tool: string;
  arguments: Record<string, unknown>;
  /**
   * Runs after the tool list is read and before the call, with the tool's description (e.g. to
   * validate the arguments against its inputSchema); throw to stop without calling.
   */
  beforeCall?: (tool: McpToolInfo) => void;
}

export interface McpToolResult {
  content: CallToolResult['content'];
  structuredContent?: Record<string, unknown>;
  /** The text parts joined by newlines. */
  text: string;
}

export const textOf = (content: CallToolResult['content']): string =>
  content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');

/**
 * Calls one tool and answers its result; an `isError` answer becomes a `tool-error` with the
 * tool's text. The tool list is read first: to find the tool, validate, and let the SDK check a
 * structured result against the tool's outputSchema.
 */
export async function callTool(
  connection: McpConnection,
  call: McpToolCall,
  options: McpCallOptions,
): Promise<McpToolResult> {
  const what = `tool "${call.tool}" on "${options.serverName}"`;
  return withSession(connection, what, options, async (session, request) => {
    const tools = await allTools(session, request);
    const tool = tools.find((candidate) => candidate.name === call.tool);
    if (!tool)
      throw new McpCallError(
        'protocol',
        `${what}: the server has no such tool (it lists: ${tools.map((t) => t.name).join(', ') || 'none'})`,
      );
    try {
      call.beforeCall?.(infoOf(tool));
    } catch (error) {
      throw new CallerError(error);
    }
    const result = (await session.client.callTool(
      { name: call.tool, arguments: call.arguments },
      undefined,
      request,
    )) as CallToolResult;
    const text = textOf(result.content ?? []);
    if (result.isError) throw new McpCallError('tool-error', `${what} answered an error: ${text || '(no text)'}`);
    return {
      content: result.content ?? [],
      ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
      text,
    };
  });
}
