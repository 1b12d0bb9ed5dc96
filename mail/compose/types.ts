/** A mailbox as email events carry it (nodes/ingest/parse/email.ts). */
export interface Mailbox {
  name?: string;
  address?: string;
}

/** The parts of an `email.received` event a reply needs. */
export interface OriginalEmail {
  subject?: string;
  text?: string;
  from?: Mailbox[];
  replyTo?: Mailbox[];
  /** Bare ids, without angle brackets. */
  messageId?: string;
  references?: string[];
  /** When it was written (the event's occurredAt). */
  occurredAt?: string;
}

/** Who sends: the account's address and display name. */
export interface Sender {
  address: string;
  displayName?: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * A message ready to hand to SMTP: the exact bytes, composed once and stored in the outbox, so
 * every attempt sends the same message with the same Message-ID.
 */
export interface ComposedMessage {
  /** With angle brackets, as in the header: `<…@domain>`. */
  messageId: string;
  subject: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}
