// A connection test's answer in plain words, one line a direction: what worked, or what to check.
import type {
  ConnectionFailureCode,
  ConnectionResult,
  ConnectionTest,
  ImapTestDetails,
  MailDirection,
  SmtpTestDetails,
} from './mail-types.ts';

const directionName: Record<MailDirection, string> = { imap: 'Reading (IMAP)', smtp: 'Sending (SMTP)' };

/** What each failure code asks the person to check. */
export const failureAdvice: Record<ConnectionFailureCode, string> = {
  auth: 'The server refused the user name or password.',
  tls: 'The secure connection failed: check the security mode and the port.',
  unreachable: 'The server could not be reached: check the host and the port.',
  folder: 'Signed in, but a folder named here does not exist on the server.',
  other: 'The connection failed.',
};

function imapWords(details: ImapTestDetails): string[] {
  return [
    `${details.folders.length} folders: ${details.folders.join(', ')}`,
    ...(details.sentFolder ? [`Sent folder: ${details.sentFolder}`] : []),
    details.idle ? 'new mail arrives at once (IDLE)' : 'new mail is found by polling (no IDLE)',
  ];
}

const smtpWords = (details: SmtpTestDetails): string[] => [
  details.authenticated ? 'signed in' : 'takes mail without signing in',
];

function ResultLine({
  direction,
  result,
  found,
}: {
  direction: MailDirection;
  result: ConnectionResult;
  /** What a successful test found, in words. */
  found: string[];
}) {
  return (
    <li className={result.ok ? 'connection-ok' : 'connection-failed'} data-direction={direction}>
      <strong>{directionName[direction]}: </strong>
      {result.ok ? (
        <>
          <span className="ok-text">works.</span> <span className="muted small wrap">{found.join(' · ')}</span>
        </>
      ) : (
        <>
          <span className="error-text">{failureAdvice[result.code]}</span>{' '}
          <span className="muted small wrap">{result.message}</span>
        </>
      )}
    </li>
  );
}

export function ConnectionResults({ test }: { test: ConnectionTest }) {
  const { imap, smtp } = test;
  if (!imap && !smtp) return null;
  return (
    <ul className="connection-results" role="status" aria-label="Connection test">
      {imap ? <ResultLine direction="imap" result={imap} found={imap.ok ? imapWords(imap.details) : []} /> : null}
      {smtp ? <ResultLine direction="smtp" result={smtp} found={smtp.ok ? smtpWords(smtp.details) : []} /> : null}
    </ul>
  );
}
