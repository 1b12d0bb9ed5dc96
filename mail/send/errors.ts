// What a send can end in besides "sent". The node maps them onto retryable or final activity
// failures; none of their messages carries a credential (SMTP replies and folder names only).

/** The account cannot send (no such account, no SMTP settings): retrying will not help. */
export class MailAccountError extends Error {
  override readonly name = 'MailAccountError';
}

/** The server refused the message for good (5xx): the outbox row is `failed`. */
export class MailRefusedError extends Error {
  override readonly name = 'MailRefusedError';
}

/** A definite temporary refusal or a failure before the message was handed over: the row is `pending` again. */
export class MailRetryableError extends Error {
  override readonly name = 'MailRetryableError';
}

/** Nobody knows whether the message arrived: the row is `uncertain` until a person says. Never resent automatically. */
export class MailOutcomeUnknownError extends Error {
  override readonly name = 'MailOutcomeUnknownError';
  readonly outboxId: string;
  readonly messageId: string;
  constructor(outboxId: string, messageId: string, reason: string) {
    super(`waiting for a person to say whether ${messageId} arrived (${reason}); outbox ${outboxId}`);
    this.outboxId = outboxId;
    this.messageId = messageId;
  }
}
