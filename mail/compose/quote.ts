import type { Mailbox } from './types.ts';

/** How a person is named in "On …, <name> wrote:". */
export function nameOf(mailbox: Mailbox | undefined): string {
  if (!mailbox) return 'you';
  if (mailbox.name && mailbox.address) return `${mailbox.name} <${mailbox.address}>`;
  return mailbox.name ?? mailbox.address ?? 'you';
}

/** "Re: <subject>", without stacking a second "Re:". */
export function replySubject(subject: string | undefined): string {
  const text = (subject ?? '').trim();
  return /^re\s*:/i.test(text) ? text : `Re: ${text}`.trimEnd();
}

/** The original message quoted below a reply: an attribution line, then each line behind "> ". */
export function quoteOriginal(text: string | undefined, author: Mailbox | undefined, writtenAt?: string): string {
  const when = writtenAt && !Number.isNaN(Date.parse(writtenAt)) ? new Date(writtenAt).toUTCString() : undefined;
  const attribution = when ? `On ${when}, ${nameOf(author)} wrote:` : `${nameOf(author)} wrote:`;
  const lines = (text ?? '').replace(/\r\n?/g, '\n').trimEnd().split('\n');
  return [attribution, ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}
