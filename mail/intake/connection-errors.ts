// What went wrong with an IMAP connection, in words the operator can act on. The message never
// quotes the server's answer to a login (it could echo the user name and mechanism, never more,
// but a person needs the cause, not the transcript) and never the password.

export interface ConnectionProblem {
  kind: 'auth' | 'tls' | 'unreachable' | 'folder' | 'other';
  message: string;
}

interface ImapLikeError {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  message?: string;
}

export function describeConnectionError(
  error: unknown,
  where: { host: string; port: number; folder: string },
): ConnectionProblem {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ImapLikeError;
  const server = `${where.host}:${where.port}`;
  const code = e.code ?? '';
  if (
    e.authenticationFailed ||
    e.serverResponseCode === 'AUTHENTICATIONFAILED' ||
    /authenticat/i.test(e.message ?? '')
  ) {
    return { kind: 'auth', message: `${server} refused the login: check the user name and the (app) password` };
  }
  if (
    /^ERR_SSL|^ERR_TLS|EPROTO|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) ||
    /ssl|tls|certificate/i.test(e.message ?? '')
  ) {
    return {
      kind: 'tls',
      message: `TLS with ${server} failed (${code || 'handshake'}): check the security mode (tls on 993, starttls on 143) and the certificate`,
    };
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(
      code,
    ) ||
    /timeout/i.test(code) ||
    /timeout|timed out/i.test(e.message ?? '')
  ) {
    return { kind: 'unreachable', message: `${server} is unreachable (${code || 'timeout'})` };
  }
  if (e.serverResponseCode === 'NONEXISTENT' || /mailbox doesn't exist|nonexistent/i.test(e.message ?? '')) {
    return { kind: 'folder', message: `the folder "${where.folder}" does not exist on ${server}` };
  }
  return { kind: 'other', message: `IMAP with ${server} failed: ${(e.message ?? String(error)).slice(0, 300)}` };
}
