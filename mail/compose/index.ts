export { composeNew, composeReply, replyRecipients } from './reply.ts';
export type { NewMessageRequest, ReplyRequest } from './reply.ts';
export { bracketed, deterministicMessageId, domainOf } from './message-id.ts';
export { quoteOriginal, replySubject, writersTime } from './quote.ts';
export type { ComposedMessage, MailAttachment, Mailbox, OriginalEmail, Sender } from './types.ts';
