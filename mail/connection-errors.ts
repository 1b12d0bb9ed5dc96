// Turns what a failed IMAP or SMTP connection threw into one of a few codes and a sentence a
// person can act on. Raw library errors are only read, never passed on: the message is built
// here, and any password that might appear in server text is scrubbed before it leaves.

export type ConnectionFailureCode = 'auth' | 'tls' | 'unreachable' | 'folder' | 'other';

export interface ConnectionFailure {
  ok: false;
  code: ConnectionFailureCode;
  message: string;
}

export interface Endpoint {
  protocol: 'IMAP' | 'SMTP';
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user?: string;
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TLS_PORT = { IMAP: 993, SMTP: 465 } as const;
const PLAIN_PORT = { IMAP: 143, SMTP: 587 } as const;

interface ErrorLike {
  code?: unknown;
  /** nodemailer wraps the socket's code (ECONNREFUSED) in its own (ESOCKET). */
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  authenticationFailed?: unknown;
  responseCode?: unknown;
  response?: unknown;
  serverResponseCode?: unknown;
}

/** The error and its causes, outermost first, so a code wrapped by a library is still found. */
function chain(error: unknown): ErrorLike[] {
  const found: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && found.length < 5) {
    found.push(current);
    current = (current as ErrorLike).cause;
  }
  return found;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function codesOf(error: unknown): string[] {
  return chain(error).flatMap((e) => [text(e.code), text(e.originalCode), text(e.serverResponseCode)].filter(Boolean));
}

function messagesOf(error: unknown): string {
  return chain(error)
    .map((e) => `${text(e.message)} ${text(e.response)}`)
    .join(' ');
}

const where = (endpoint: Endpoint) => `${endpoint.host}:${endpoint.port}`;

function appPasswordHint(endpoint: Endpoint): string {
  return (
    `The ${endpoint.protocol} server at ${where(endpoint)} refused the user name or password` +
    (endpoint.user ? ` for "${endpoint.user}"` : '') +
    '. Check both; providers with two-step sign-in (Gmail, Outlook, iCloud, Fastmail, Yahoo) need an app ' +
    "password made in the account's security settings instead of the account password."
  );
}

function tlsMessage(endpoint: Endpoint, all: string, codes: string[]): string {
  const certificate = codes.find((code) => CERTIFICATE_CODES.has(code));
  if (certificate)
    return (
      `The ${endpoint.protocol} server at ${where(endpoint)} presented a certificate that is not trusted ` +
      `(${certificate}): check the host name matches the server's certificate, or ask the provider for the right host.`
    );
  if (endpoint.security === 'tls')
    return (
      `TLS failed at ${where(endpoint)}: the server did not answer in TLS, so this port probably expects a plain ` +
      `connection upgraded with STARTTLS (usually port ${PLAIN_PORT[endpoint.protocol]}). Choose security "starttls", ` +
      `or the TLS port (usually ${TLS_PORT[endpoint.protocol]}).`
    );
  if (endpoint.security === 'starttls' && /starttls|upgrade|requiretls|tls/i.test(all))
    return (
      `The ${endpoint.protocol} server at ${where(endpoint)} does not offer STARTTLS, so the password would travel in ` +
      `clear. Choose security "tls" if this is a TLS port (usually ${TLS_PORT[endpoint.protocol]}), or ask the ` +
      'provider for a port with encryption.'
    );
  return `TLS failed at ${where(endpoint)} with security "${endpoint.security}": check the security setting for this port.`;
}

/** Classifies a failed connection; `password` is removed from the server's text, the one part that might echo it. */
export function describeConnectionError(endpoint: Endpoint, error: unknown, password?: string): ConnectionFailure {
  const codes = codesOf(error);
  // Server text is the one part not written here: scrub the password from it, in case it is echoed.
  const all = password ? messagesOf(error).split(password).join('***') : messagesOf(error);
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
  let failure: ConnectionFailure;
  // Connected, then no greeting: a plain client on a TLS port, where the server waits for a TLS hello.
  const silentToPlain =
    endpoint.security !== 'tls' && (has('GREETING_TIMEOUT') || (has('ETIMEDOUT') && /greeting/i.test(all)));
  const notSpeaking = endpoint.protocol === 'IMAP' ? 'an IMAP' : 'an SMTP';
  if (chain(error).some((e) => e.authenticationFailed === true) || has('EAUTH', 'AUTHENTICATIONFAILED'))
    failure = { ok: false, code: 'auth', message: appPasswordHint(endpoint) };
  else if (has('ENOTFOUND', 'EAI_AGAIN', 'EDNS'))
    failure = {
      ok: false,
      code: 'unreachable',
      message: `The host "${endpoint.host}" was not found (DNS lookup for ${where(endpoint)} failed): check its spelling.`,
    };
  else if (has('ECONNREFUSED'))
    failure = {
      ok: false,
      code: 'unreachable',
      message: `Nothing accepts connections at ${where(endpoint)} (connection refused): check the host and the port.`,
    };
  else if (has('EHOSTUNREACH', 'ENETUNREACH'))
    failure = {
      ok: false,
      code: 'unreachable',
      message: `${where(endpoint)} cannot be reached from this machine (no route): check the host and the network.`,
    };
  else if (silentToPlain)
    failure = {
      ok: false,
      code: 'tls',
      message:
        `${where(endpoint)} accepted the connection but said nothing to a plain one: the port probably expects TLS ` +
        `from the first byte (usually ${TLS_PORT[endpoint.protocol]}). Choose security "tls".`,
    };
  else if (
    has('ETLS', 'EREQUIRETLS', 'EPROTO', ...CERTIFICATE_CODES) ||
    codes.some((code) => code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) ||
    /wrong version number|ssl routines|tls|handshake|starttls/i.test(all)
  )
    failure = { ok: false, code: 'tls', message: tlsMessage(endpoint, all, codes) };
  else if (has('ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ECONNECTION', 'ESOCKET', 'ECONNRESET'))
    failure = {
      ok: false,
      code: 'unreachable',
      message:
        `${where(endpoint)} did not answer in time or dropped the connection: check the host and port, a firewall ` +
        `between, and the security setting (a TLS port such as ${TLS_PORT[endpoint.protocol]} says nothing to a plain connection).`,
    };
  else if (has('EPROTOCOL'))
    failure = {
      ok: false,
      code: 'other',
      message: `The server at ${where(endpoint)} did not answer like ${notSpeaking} server: check the port.`,
    };
  else
    failure = {
      ok: false,
      code: 'other',
      message: `The ${endpoint.protocol} connection to ${where(endpoint)} failed: ${all.trim().slice(0, 300) || 'no reason given'}.`,
    };
  return failure;
}
