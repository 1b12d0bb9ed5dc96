import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Why a call to an external MCP server failed, as the caller must treat it:
 * - `timeout`: the server did not answer in time (hung) — worth retrying;
 * - `crashed`: the process exited or the connection closed or could not be made — worth retrying;
 * - `tool-error`: the tool answered with `isError` — its answer will not change;
 * - `protocol`: the server answered something this client cannot use (unknown tool, bad
 *   arguments, a refusal such as HTTP 401) — retrying will not fix it.
 */
export type McpFailureKind = 'timeout' | 'crashed' | 'tool-error' | 'protocol';

export class McpCallError extends Error {
  override readonly name = 'McpCallError';
  readonly kind: McpFailureKind;
  constructor(kind: McpFailureKind, message: string) {
    super(message);
    this.kind = kind;
  }

  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'crashed';
  }
}

/** What the child process did, for messages about a crash (stdio only). */
export interface ProcessReport {
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  stderrTail: string;
}

function exitText(report: ProcessReport | undefined): string {
  if (!report) return '';
  const how =
    report.exitCode !== undefined && report.exitCode !== null
      ? `exited with code ${report.exitCode}`
      : report.signal
        ? `was killed by ${report.signal}`
        : 'closed its output';
  const tail = report.stderrTail.trim();
  return `: the process ${how}${tail ? `; its stderr ended with: ${tail}` : ''}`;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = (error as { code?: unknown } | undefined)?.code ?? cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Sorts any error from connecting or calling into one of the four kinds, with a message that
 * says what happened (`what`: e.g. `tool "echo" on "files"`). Nothing is retried here.
 */
export function classify(
  error: unknown,
  what: string,
  { timeoutMs, process, timedOut }: { timeoutMs: number; process?: ProcessReport | undefined; timedOut: boolean },
): McpCallError {
  if (error instanceof McpCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut || (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)))
    return new McpCallError('timeout', `${what}: no answer within ${timeoutMs} ms (the server hung)`);
  if (error instanceof McpError && error.code === (ErrorCode.ConnectionClosed as number))
    return new McpCallError('crashed', `${what}: the connection closed before the answer${exitText(process)}`);
  if (error instanceof McpError) return new McpCallError('protocol', `${what}: ${message}`);
  if (error instanceof StreamableHTTPError) {
    // A 5xx or a dropped stream may pass; a 4xx (wrong URL, refused credentials) will not.
    const transient = error.code === undefined || error.code >= 500;
    return new McpCallError(transient ? 'crashed' : 'protocol', `${what}: HTTP ${error.code ?? '?'}: ${message}`);
  }
  const code = causeCode(error);
  if (code === 'ENOENT' || code === 'EACCES')
    return new McpCallError('crashed', `${what}: the command could not be started (${code})`);
  if ((code && CONNECTION_CODES.has(code)) || /fetch failed|not connected|connection closed/i.test(message))
    return new McpCallError('crashed', `${what}: ${message}${code ? ` (${code})` : ''}${exitText(process)}`);
  return new McpCallError('protocol', `${what}: ${message}${exitText(process)}`);
}
