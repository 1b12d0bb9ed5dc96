// A connection test's answer in plain words, one line a direction: what worked, or what to check.
import type { ConnectionResult, ConnectionTest, MailDirection } from './mail-types.ts';

const directionName: Record<MailDirection, string> = { imap: 'Reading (IMAP)', smtp: 'Sending (SMTP)' };

/** What each failure code asks the person to check. */
export const failureAdvice: Record<Extract<ConnectionResult, { ok: false }>['code'], string> = {
  auth: 'The server refused the user name or password.',
  tls: 'The secure connection failed: check the security mode and the port.',
  unreachable: 'The server could not be reached: check the host and the port.',
  folder: 'Signed in, but a folder named here does not exist on the server.',
  other: 'The connection failed.',
};

/** What a successful test found, in words (the server's ImapTestDetails and SmtpTestDetails). */
function detailWords(direction: MailDirection, details: Record<string, unknown> | undefined): string[] {
  if (!details) return [];
  const words: string[] = [];
  if (direction === 'imap') {
    if (Array.isArray(details.folders)) words.push(`${details.folders.length} folders: ${details.folders.join(', ')}`);
    if (typeof details.sentFolder === 'string') words.push(`Sent folder: ${details.sentFolder}`);
    if (typeof details.idle === 'boolean')
      words.push(details.idle ? 'new mail arrives at once (IDLE)' : 'new mail is found by polling (no IDLE)');
  } else if (typeof details.authenticated === 'boolean') {
    words.push(details.authenticated ? 'signed in' : 'takes mail without signing in');
  }
  return words;
}

function ResultLine({ direction, result }: { direction: MailDirection; result: ConnectionResult }) {
  return (
    <li className={result.ok ? 'connection-ok' : 'connection-failed'} data-direction={direction}>
      <strong>{directionName[direction]}: </strong>
      {result.ok ? (
        <>
          <span className="ok-text">works.</span>{' '}
          <span className="muted small wrap">{detailWords(direction, result.details).join(' · ')}</span>
        </>
      ) : (
        <>
          <span className="error-text">{failureAdvice[result.code] ?? failureAdvice.other}</span>{' '}
          <span className="muted small wrap">{result.message}</span>
        </>
      )}
    </li>
  );
}

export function ConnectionResults({ test }: { test: ConnectionTest }) {
  const directions = (['imap', 'smtp'] as const).filter((d) => test[d]);
  if (directions.length === 0) return null;
  return (
    <ul className="connection-results" role="status" aria-label="Connection test">
      {directions.map((direction) => (
        <ResultLine key={direction} direction={direction} result={test[direction]!} />
      ))}
    </ul>
  );
}
