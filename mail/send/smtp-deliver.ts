import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MAIL_TIMEOUTS, type SmtpSecrets } from '../connections.ts';

/** The server answered no (a 4xx or 5xx reply), or the connection failed before the message's end was written. */
export class SmtpRefusal extends Error {
  override readonly name = 'SmtpRefusal';
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.permanent = permanent;
  }
}

/** The whole message was written but no reply came: the server may or may not have taken it. */
export class SmtpOutcomeUnknown extends Error {
  override readonly name = 'SmtpOutcomeUnknown';
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

function describe(error: SmtpError): string {
  const reply = error.response ? `: ${error.response}` : '';
  const command = error.command && error.command !== 'CONN' && error.command !== 'API' ? ` at ${error.command}` : '';
  return `${error.code ?? 'error'}${command}${reply || `: ${error.message}`}`;
}

/**
 * Hands the exact bytes to the SMTP server once and classifies the result. The message goes in as
 * a stream that is only read after the server said 354 to DATA, so "the stream ended" means the
 * body (and so the final "." right behind it) may have reached the server: from then on an error
 * without a reply is an unknown outcome, never a refusal. Returns the server's 250 reply.
 */
export async function deliverRaw(
  settings: SmtpSecrets,
  envelope: { from: string; to: string[] },
  raw: Buffer,
): Promise<string> {
  const connection = new SMTPConnection({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    connectionTimeout: MAIL_TIMEOUTS.connectMs,
    greetingTimeout: MAIL_TIMEOUTS.greetingMs,
    socketTimeout: MAIL_TIMEOUTS.socketMs,
    logger: false,
    debug: false,
  });
  let bodyWritten = false;
  let failStep: ((error: SmtpError) => void) | undefined;
  connection.on('error', (error: SmtpError) => failStep?.(error));
  const step = <T>(run: (done: (error: SmtpError | null, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      failStep = reject;
      run((error, value) => (error ? reject(error) : resolve(value as T)));
    });
  try {
    await step<void>((done) => connection.connect(() => done(null)));
    if (settings.user) {
      await step<void>((done) =>
        connection.login({ user: settings.user, pass: settings.password ?? '' }, (error) => done(error)),
      );
    }
    const body = Readable.from([raw], { objectMode: false });
    body.once('end', () => (bodyWritten = true));
    const info = await step<{ response: string; rejected: string[] }>((done) =>
      connection.send(envelope, body, (error, result) => done(error, result)),
    );
    connection.quit();
    const rejected = info.rejected.length > 0 ? ` (refused for ${info.rejected.join(', ')})` : '';
    return `${info.response}${rejected}`;
  } catch (caught) {
    connection.close();
    const error = caught as SmtpError;
    if (error.responseCode && error.responseCode >= 400) {
      throw new SmtpRefusal(`SMTP refused: ${describe(error)}`, error.responseCode >= 500);
    }
    if (bodyWritten) throw new SmtpOutcomeUnknown(`no reply after the message was written: ${describe(error)}`);
    throw new SmtpRefusal(`SMTP failed before the message was handed over: ${describe(error)}`, false);
  }
}
