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

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The time as the writer's own clock showed it (the event keeps the Date header's offset, e.g.
 * `2026-12-07T09:12:00+01:00` → `Mon, 7 Dec 2026 09:12 +0100`); an instant without one reads as UTC.
 */
export function writersTime(iso: string): string {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const sign = offset?.[1] === '-' ? -1 : 1;
  const minutes = offset ? sign * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(Date.parse(iso) + minutes * 60_000);
  const zone = offset ? `${offset[1]}${offset[2]}${offset[3]}` : '+0000';
  const time = local.toISOString().slice(11, 16);
  return `${weekdays[local.getUTCDay()]}, ${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${time} ${zone}`;
}

/** The original message quoted below a reply: an attribution line, then each line behind "> ". */
export function quoteOriginal(text: string | undefined, author: Mailbox | undefined, writtenAt?: string): string {
  const when = writtenAt && !Number.isNaN(Date.parse(writtenAt)) ? writersTime(writtenAt) : undefined;
  const attribution = when ? `On ${when}, ${nameOf(author)} wrote:` : `${nameOf(author)} wrote:`;
  const lines = (text ?? '').replace(/\r\n?/g, '\n').trimEnd().split('\n');
  return [attribution, ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}
