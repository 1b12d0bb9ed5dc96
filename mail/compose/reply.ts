import { buildMessage } from './build.ts';
import { bracketed, deterministicMessageId } from './message-id.ts';
import { quoteOriginal, replySubject } from './quote.ts';
import type { ComposedMessage, MailAttachment, Mailbox, OriginalEmail, Sender } from './types.ts';

export interface ReplyRequest {
  from: Sender;
  original: OriginalEmail;
  /** The approved text. */
  body: string;
  idempotencyKey: string;
  date: Date;
  attachments?: MailAttachment[];
}

/** Who a reply goes to: Reply-To when the sender set one, else From. */
export function replyRecipients(original: OriginalEmail): Mailbox[] {
  const replyTo = (original.replyTo ?? []).filter((mailbox) => mailbox.address);
  return replyTo.length > 0 ? replyTo : (original.from ?? []).filter((mailbox) => mailbox.address).slice(0, 1);
}

/** A reply threaded under the original (In-Reply-To, References) with the original quoted below the text. */
export function composeReply(request: ReplyRequest): Promise<ComposedMessage> {
  const { original } = request;
  const parent = original.messageId ? bracketed(original.messageId) : undefined;
  const references = [...(original.references ?? []).map(bracketed), ...(parent ? [parent] : [])];
  const text = `${request.body.trimEnd()}\n\n${quoteOriginal(original.text, original.from?.[0], original.occurredAt)}\n`;
  return buildMessage({
    from: request.from,
    to: replyRecipients(original),
    subject: replySubject(original.subject),
    text,
    messageId: deterministicMessageId(request.idempotencyKey, request.from.address),
    date: request.date,
    ...(parent ? { inReplyTo: parent } : {}),
    ...(references.length > 0 ? { references: [...new Set(references)] } : {}),
    ...(request.attachments ? { attachments: request.attachments } : {}),
  });
}

export interface NewMessageRequest {
  from: Sender;
  to: Mailbox[];
  subject: string;
  body: string;
  idempotencyKey: string;
  date: Date;
  attachments?: MailAttachment[];
}

/** A message that starts a thread (an invoice, a follow-up). */
export function composeNew(request: NewMessageRequest): Promise<ComposedMessage> {
  return buildMessage({
    from: request.from,
    to: request.to,
    subject: request.subject,
    text: `${request.body.trimEnd()}\n`,
    messageId: deterministicMessageId(request.idempotencyKey, request.from.address),
    date: request.date,
    ...(request.attachments ? { attachments: request.attachments } : {}),
  });
}
