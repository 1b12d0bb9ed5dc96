// "Test connection" for an account's settings: logs in, and for IMAP lists the folders and checks
// the ones the settings name, then logs out. The whole test is bounded, and a failure comes back
// as a code with a sentence a person can act on, never with the password in it.
import type { ImapFlow } from 'imapflow';
import { describeConnectionError, type ConnectionFailure, type Endpoint } from './connection-errors.ts';
import { imapClient, MAIL_TIMEOUTS, smtpTransport, type ImapSecrets, type SmtpSecrets } from './connections.ts';

export type { ConnectionFailure, ConnectionFailureCode } from './connection-errors.ts';

export interface ImapTestDetails {
  /** Every folder the server lists, by path. */
  folders: string[];
  /** The folder the server marks \Sent, if any. */
  sentFolder?: string;
  /** Whether the server supports IDLE (else the listener polls). */
  idle: boolean;
}

export interface SmtpTestDetails {
  /** Whether the server took a user name and password (false: it accepts mail without). */
  authenticated: boolean;
}

export type ConnectionTestResult<Details> = { ok: true; details: Details } | ConnectionFailure;

/** The longest one test may take: connecting, the greeting, and a few commands. */
export const CONNECTION_TEST_MS = MAIL_TIMEOUTS.connectMs + MAIL_TIMEOUTS.greetingMs + 10_000;

class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
}

async function withDeadline<T>(work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new DeadlineError(`no answer within ${CONNECTION_TEST_MS} ms`));
    }, CONNECTION_TEST_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What error messages may name: never the password. */
const endpointOf = (protocol: Endpoint['protocol'], s: ImapSecrets | SmtpSecrets): Endpoint => ({
  protocol,
  host: s.host,
  port: s.port,
  security: s.security,
  ...(s.user ? { user: s.user } : {}),
});

const isInbox = (name: string) => name.toUpperCase() === 'INBOX';
const sameFolder = (a: string, b: string) => a === b || (isInbox(a) && isInbox(b));

/** The folders the settings need that the server does not have, each with the setting that names it. */
function missingFolders(settings: ImapSecrets, folders: string[]): string[] {
  const wanted: [string, string][] = (settings.folders ?? ['INBOX']).map((name) => [name, 'watched folder']);
  if (settings.sentFolder) wanted.push([settings.sentFolder, 'Sent folder']);
  if (settings.afterRun === 'move' && settings.moveTo) wanted.push([settings.moveTo, '"move to" folder']);
  return wanted
    .filter(([name]) => !folders.some((folder) => sameFolder(folder, name)))
    .map(([name, role]) => `${role} "${name}"`);
}

async function inspectMailbox(client: ImapFlow, settings: ImapSecrets): Promise<ConnectionTestResult<ImapTestDetails>> {
  const listed = await client.list();
  const folders = listed.map((folder) => folder.path);
  const sentFolder = listed.find((folder) => folder.specialUse === '\\Sent')?.path;
  const missing = missingFolders(settings, folders);
  if (missing.length > 0)
    return {
      ok: false,
      code: 'folder',
      message: `Not on the server: ${missing.join(', ')}. Check the spelling; its folders are: ${folders.join(', ') || '(none)'}.`,
    };
  return {
    ok: true,
    details: { folders, ...(sentFolder ? { sentFolder } : {}), idle: client.capabilities.has('IDLE') },
  };
}

/** Logs in to IMAP with these settings and checks the folders they name. */
export async function testImap(settings: ImapSecrets): Promise<ConnectionTestResult<ImapTestDetails>> {
  const endpoint = endpointOf('IMAP', settings);
  const client = imapClient(settings, { clientName: 'Trellis connection test' });
  // A failing socket also emits 'error'; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    return await withDeadline(
      (async () => {
        await client.connect();
        return inspectMailbox(client, settings);
      })(),
      () => client.close(),
    );
  } catch (error) {
    return describeConnectionError(endpoint, error, settings.password);
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/** Connects to SMTP with these settings and logs in when they have a user; sends nothing. */
export async function testSmtp(settings: SmtpSecrets): Promise<ConnectionTestResult<SmtpTestDetails>> {
  const endpoint = endpointOf('SMTP', settings);
  const transport = smtpTransport(settings);
  try {
    await withDeadline(transport.verify(), () => transport.close());
    return { ok: true, details: { authenticated: Boolean(settings.user) } };
  } catch (error) {
    return describeConnectionError(endpoint, error, settings.password);
  } finally {
    transport.close();
  }
}
