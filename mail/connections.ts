// One way to open each kind of connection from an account's settings, shared by the connection
// test, the intake listeners and the sender, so every connection has the same security rules and
// the same bounded timeouts. Passwords go straight from the opened account into the client; the
// clients' loggers are off, so nothing of the session (AUTHENTICATE included) reaches a log.
import { ImapFlow } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailAccountSecrets } from '../store/mail-accounts.ts';

export type ImapSecrets = NonNullable<MailAccountSecrets['imap']>;
export type SmtpSecrets = NonNullable<MailAccountSecrets['smtp']>;

/** Bounds on every network step: a server that stops answering fails the step instead of hanging it. */
export const MAIL_TIMEOUTS = { connectMs: 10_000, greetingMs: 10_000, socketMs: 60_000 } as const;

/** A new, unconnected IMAP client; `security: 'starttls'` insists on the upgrade (credentials never go in clear). */
export function imapClient(settings: ImapSecrets, options: { clientName?: string } = {}): ImapFlow {
  return new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    ...(settings.security === 'starttls' ? { doSTARTTLS: true } : {}),
    ...(settings.security === 'none' ? { doSTARTTLS: false } : {}),
    auth: { user: settings.user, pass: settings.password ?? '' },
    logger: false,
    connectionTimeout: MAIL_TIMEOUTS.connectMs,
    greetingTimeout: MAIL_TIMEOUTS.greetingMs,
    socketTimeout: MAIL_TIMEOUTS.socketMs,
    clientInfo: { name: options.clientName ?? 'Trellis' },
  });
}

/** An SMTP transport for one message or a short burst; pooled sending is not needed at a solo operator's volume. */
export function smtpTransport(settings: SmtpSecrets): Transporter {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: MAIL_TIMEOUTS.connectMs,
    greetingTimeout: MAIL_TIMEOUTS.greetingMs,
    socketTimeout: MAIL_TIMEOUTS.socketMs,
    logger: false,
    debug: false,
  });
}
