// How the MCP client sorts failures (mcp/errors.ts) and keeps secrets out of its messages
// (mcp/connection.ts): the cases the integration test cannot provoke from its fixture.
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { redact, secretValuesOf } from '../../mcp/connection.ts';
import { classify, McpCallError } from '../../mcp/errors.ts';

const sort = (error: unknown, extra: Partial<Parameters<typeof classify>[2]> = {}) =>
  classify(error, 'tool "t" on "s"', { timeoutMs: 500, timedOut: false, ...extra });

describe('MCP client failures', () => {
  it('a deadline or the SDK request timeout is a retryable timeout', () => {
    expect(sort(new Error('aborted'), { timedOut: true })).toMatchObject({ kind: 'timeout', retryable: true });
    const timedOut = sort(new McpError(ErrorCode.RequestTimeout, 'Request timed out'));
    expect(timedOut.message).toBe('tool "t" on "s": no answer within 500 ms (the server hung)');
  });

  it('a closed connection is a crash, with the exit code or signal and the stderr tail', () => {
    const closed = new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
    expect(sort(closed, { process: { exitCode: 3, stderrTail: 'boom\n' } }).message).toBe(
      'tool "t" on "s": the connection closed before the answer: the process exited with code 3; its stderr ended with: boom',
    );
    expect(sort(closed, { process: { signal: 'SIGKILL', stderrTail: '' } }).message).toMatch(/was killed by SIGKILL$/);
    expect(sort(closed)).toMatchObject({ kind: 'crashed', retryable: true });
  });

  it('a command that cannot start or an unreachable URL is a crash; an HTTP 4xx is a protocol failure', () => {
    expect(sort(Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' })).message).toBe(
      'tool "t" on "s": the command could not be started (ENOENT)',
    );
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(sort(refused)).toMatchObject({ kind: 'crashed' });
    expect(sort(new StreamableHTTPError(503, 'unavailable'))).toMatchObject({ kind: 'crashed' });
    expect(sort(new StreamableHTTPError(401, 'unauthorized'))).toMatchObject({ kind: 'protocol', retryable: false });
  });

  it('any other MCP error is a protocol failure; an McpCallError keeps its kind', () => {
    expect(sort(new McpError(ErrorCode.InvalidParams, 'no such tool'))).toMatchObject({ kind: 'protocol' });
    const toolError = new McpCallError('tool-error', 'it said no');
    expect(sort(toolError)).toBe(toolError);
    expect(toolError.retryable).toBe(false);
  });

  it('redacts every secret value of a connection, but not values too short to be secrets', () => {
    const connection = {
      transport: 'http' as const,
      url: 'http://x',
      headers: { Authorization: 'Bearer abc123', X: 'no' },
    };
    expect(secretValuesOf(connection)).toEqual(['Bearer abc123']);
    expect(redact('refused Bearer abc123 twice: Bearer abc123', secretValuesOf(connection))).toBe(
      'refused [redacted] twice: [redacted]',
    );
  });
});
