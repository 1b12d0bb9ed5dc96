// Opens an SDK Client on an external MCP server: a child process over stdio, or Streamable HTTP.
// The session is meant to be short: open, one or two requests, close (mcp/call-tool.ts).
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpConnection } from './connection.ts';
import type { ProcessReport } from './errors.ts';

/** How much of the child's stderr is kept for error messages: the end is what explains a crash. */
const STDERR_KEEP = 4_000;
const STDERR_SHOWN = 800;
/** A polite close (stdin ended, then SIGTERM) gets this long before the child is killed. */
const CLOSE_GRACE_MS = 3_000;

const clientInfo = { name: 'trellis', version: '1' };

/**
 * The child process of a started stdio transport. The SDK keeps it private and drops the exit
 * code; reading it is the only way to say how a server died. Guarded: if a later SDK renames the
 * field, messages lose the exit code, nothing else.
 */
function childOf(transport: StdioClientTransport): ChildProcess | undefined {
  const child = (transport as unknown as { _process?: unknown })._process;
  return child && typeof (child as ChildProcess).once === 'function' ? (child as ChildProcess) : undefined;
}

function stdioTransport(connection: Extract<McpConnection, { transport: 'stdio' }>) {
  const transport = new StdioClientTransport({
    command: connection.command,
    args: connection.args,
    env: connection.env,
    stderr: 'pipe',
  });
  const report: ProcessReport & { child?: ChildProcess } = { stderrTail: '' };
  transport.stderr?.on('data', (chunk: Buffer) => {
    report.stderrTail = (report.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  // Hook start() (which Client.connect calls) to catch the child's exit from the first moment.
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    report.child = childOf(transport);
    report.child?.once('exit', (code, signal) => {
      report.exitCode = code;
      report.signal = signal;
    });
  };
  const processReport = (): ProcessReport => ({
    ...(report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
    ...(report.signal !== undefined ? { signal: report.signal } : {}),
    stderrTail: report.stderrTail.slice(-STDERR_SHOWN),
  });
  const killChild = () => {
    const child = report.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { transport, processReport, killChild };
}

async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** A client on one external server: connect, a request or two, close (always). */
export interface McpSession {
  client: Client;
  /** The initialize handshake; bounded by the request options (timeout, signal). */
  connect(options: { timeout: number; signal: AbortSignal }): Promise<void>;
  /** The child's exit and the tail of its stderr (stdio), for messages about a crash. */
  processReport(): ProcessReport | undefined;
  /** Closes the session and, for stdio, makes sure the child is gone; bounded, never throws. */
  close(): Promise<void>;
}

export function createSession(connection: McpConnection): McpSession {
  const client = new Client(clientInfo);
  let transport: Transport;
  let processReport: () => ProcessReport | undefined = () => undefined;
  let killChild = () => {};
  if (connection.transport === 'stdio') {
    ({ transport, processReport, killChild } = stdioTransport(connection));
  } else {
    // Redirects are followed only within the origin (the SDK's default): the headers carry tokens.
    transport = new StreamableHTTPClientTransport(new URL(connection.url), {
      requestInit: { headers: connection.headers },
    });
  }
  let closed = false;
  return {
    client,
    connect: (options) => client.connect(transport, options),
    processReport,
    async close() {
      if (closed) return;
      closed = true;
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId)
        await bounded(transport.terminateSession(), CLOSE_GRACE_MS);
      await bounded(client.close(), CLOSE_GRACE_MS);
      killChild();
    },
  };
}
