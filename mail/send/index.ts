export { sendOnce } from './send.ts';
export type { SendDeps, SendRequest, SendResult } from './send.ts';
export { MailAccountError, MailOutcomeUnknownError, MailRefusedError, MailRetryableError } from './errors.ts';
export { createMailSender, type MailSender } from './sender.ts';
