import MailComposer from 'nodemailer/lib/mail-composer';
import type { ComposedMessage, MailAttachment, Mailbox, Sender } from './types.ts';

export interface MessageParts {
  from: Sender;
  to: Mailbox[];
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  attachments?: MailAttachment[];
}

/** Renders the message to its exact bytes, once: the outbox keeps them and every attempt sends them. */
export async function buildMessage(parts: MessageParts): Promise<ComposedMessage> {
  const to = parts.to.filter((mailbox): mailbox is Mailbox & { address: string } => Boolean(mailbox.address));
  if (to.length === 0) throw new Error('the message has no recipient with an address');
  const composer = new MailComposer({
    from: { name: parts.from.displayName ?? '', address: parts.from.address },
    to: to.map((mailbox) => ({ name: mailbox.name ?? '', address: mailbox.address })),
    subject: parts.subject,
    text: parts.text,
    messageId: parts.messageId,
    date: parts.date,
    ...(parts.inReplyTo ? { inReplyTo: parts.inReplyTo } : {}),
    ...(parts.references && parts.references.length > 0 ? { references: parts.references } : {}),
    attachments: (parts.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
  });
  const raw = await composer.compile().build();
  return {
    messageId: parts.messageId,
    subject: parts.subject,
    envelope: { from: parts.from.address, to: to.map((mailbox) => mailbox.address) },
    raw,
  };
}
