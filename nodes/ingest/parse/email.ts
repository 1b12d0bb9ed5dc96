import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type ParsedMail } from 'mailparser';
import { verifySender } from '../../../mail/verify-sender.ts';
import { formatOffset, isoWithOffset, offsetOfDateHeader } from '../../../schemas/timestamp-offset.ts';
import { sha256Hex } from '../../../lib/sha256.ts';
import { hashUri, shortHash } from './bytes.ts';
import { automatedOf } from './automated.ts';
import { confidenceFor, type Guess } from './confidence.ts';
import { pdfText } from './pdf.ts';
import { isMultipart, recoverBrokenParts } from './mime-recovery.ts';
import { rejectInput } from './rejected.ts';
import type { Parsed, RawContent } from './types.ts';

/** Media types an email source takes; octet-stream because uploads of .eml files often arrive as it. */
const emailMediaTypes = new Set(['message/rfc822', 'text/plain', 'application/octet-stream']);

/** Header fields of which an RFC 822 message has at least one. */
const identifyingHeaders = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'message-id']);

// A header line (`Name: value`) or an mbox separator (`From sender date`).
const headerLine = /^(?:[\x21-\x39\x3b-\x7e]+:|From )/;

interface Mailbox {
  name?: string;
  address?: string;
}

function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const flatten = (addresses: EmailAddress[]): EmailAddress[] =>
    addresses.flatMap((address) => (address.group ? flatten(address.group) : [address]));
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return flatten(objects.flatMap((object) => object.value)).map((address) => ({
    ...(address.name ? { name: address.name } : {}),
    ...(address.address ? { address: address.address.toLowerCase() } : {}),
  }));
}

/** `<abc@example.com>` → `abc@example.com`. */
function bareId(id: string | undefined): string | undefined {
  const bare = id?.trim().replace(/^<|>$/g, '').trim();
  return bare ? bare : undefined;
}

/** RFC 2392 `mid:` URL of a Message-ID. */
function midUri(messageId: string): string {
  return `mid:${encodeURIComponent(messageId).replaceAll('%40', '@')}`;
}

/** The thread a message belongs to: the root of References, else what it replies to, else itself. */
function threadOf(mail: ParsedMail, messageId: string | undefined): { threadId?: string; references: string[] } {
  const listed =
    mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  const references = listed.flatMap((id) => id.split(/\s+/)).flatMap((id) => bareId(id) ?? []);
  const threadId = references[0] ?? bareId(mail.inReplyTo) ?? messageId;
  return { ...(threadId ? { threadId } : {}), references };
}

function sender(mail: ParsedMail, guesses: Guess[]): { kind: 'person'; name?: string; address?: string } {
  const fromHeader = mailboxes(mail.from).find((mailbox) => mailbox.address?.includes('@'));
  if (fromHeader) return { kind: 'person', ...fromHeader };
  const other = [
    ...mailboxes(mail.headers.get('sender') as AddressObject | undefined),
    ...mailboxes(mail.replyTo),
  ].find((mailbox) => mailbox.address?.includes('@'));
  if (other) {
    guesses.push('actorFromOtherHeader');
    return { kind: 'person', ...other };
  }
  guesses.push('actorUnknown');
  const named = mailboxes(mail.from)[0]?.name;
  return { kind: 'person', ...(named ? { name: named } : {}) };
}

interface DateHeader {
  /** The header as written. */
  text: string;
  instant?: Date;
  /** The sender's UTC offset in minutes, when the header states one. */
  offsetMinutes?: number;
}

/** The Date header as written, its instant and offset (mailparser would substitute now for a bad one). */
function dateHeader(mail: ParsedMail): DateHeader | undefined {
  const line = mail.headerLines.find((header) => header.key === 'date')?.line;
  if (!line) return undefined;
  const text = line
    .slice(line.indexOf(':') + 1)
    .replace(/\s+/g, ' ')
    .trim();
  const instant = new Date(text);
  const offsetMinutes = offsetOfDateHeader(text);
  return {
    text,
    ...(Number.isNaN(instant.getTime()) ? {} : { instant }),
    ...(offsetMinutes === undefined ? {} : { offsetMinutes }),
  };
}

/** Header fields that say what kind of mail this is (auto-reply, bounce, list, authentication). */
const signalHeaders = [
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'list-id',
  'list-unsubscribe',
  'content-type',
  'authentication-results',
  'return-path',
  'sender',
  // A "Re:" without the thread it claims to answer is how cold pitches dress up as replies.
  'in-reply-to',
  'references',
] as const;

function signalHeadersOf(mail: ParsedMail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    if (!(signalHeaders as readonly string[]).includes(key) || key in out) continue;
    out[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 1000);
  }
  return out;
}

/** Whether the message has a text/plain part (a message without any Content-Type is plain text). */
function hasTextPart(bytes: Buffer): boolean {
  const head = bytes.toString('latin1');
  const headerEnd = head.search(/\r?\n\r?\n/);
  const topHeaders = headerEnd < 0 ? head : head.slice(0, headerEnd);
  return !/^content-type:/im.test(topHeaders) || /^content-type:[ \t]*text\/plain/im.test(head);
}

/** A day of slack for clocks and relays; a mail dated after that, or before 1990, has a wrong clock. */
const FUTURE_SLACK_MS = 24 * 3600_000;
const EARLIEST_MAIL = Date.UTC(1990, 0, 1);

/**
 * When the message was written, in the sender's own offset so that their "tomorrow" resolves in
 * their day; the receipt time when the header is missing, unreadable or implausible.
 */
function occurredAtOf(header: DateHeader | undefined, receivedAt: string, guesses: Guess[], notes: string[]): string {
  const received = new Date(receivedAt);
  const instant = header?.instant;
  if (!instant) {
    guesses.push('occurredAtFromReceipt');
    if (header) notes.push(`Date header "${header.text.slice(0, 100)}" is unreadable; the receipt time is used`);
    return received.toISOString();
  }
  const time = instant.getTime();
  if (time > received.getTime() + FUTURE_SLACK_MS || time < EARLIEST_MAIL) {
    guesses.push('occurredAtFromReceipt');
    notes.push(
      `Date header "${header.text.slice(0, 100)}" is implausible (${time < EARLIEST_MAIL ? 'before 1990' : 'in the future'}); the receipt time is used`,
    );
    return received.toISOString();
  }
  return header.offsetMinutes === undefined ? instant.toISOString() : isoWithOffset(instant, header.offsetMinutes);
}

/** Attachments above this are listed (name, type, size, hash) but not read: the default of an account's maxAttachmentBytes. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

async function attachmentOf(attachment: Attachment, index: number, notes: string[], maxBytes: number) {
  const filename = attachment.filename ?? `attachment-${index + 1}`;
  const contentType = attachment.contentType.toLowerCase();
  let text: string | undefined;
  if (attachment.size > maxBytes) {
    notes.push(`attachment ${filename}: ${attachment.size} bytes, over the ${maxBytes}-byte limit: listed, not read`);
  } else if (contentType.startsWith('text/')) text = attachment.content.toString('utf8');
  else if (contentType === 'application/pdf') {
    try {
      text = (await pdfText(attachment.content)).text;
    } catch (error) {
      notes.push(`attachment ${filename}: no text (${(error as Error).message})`);
    }
  }
  return {
    filename,
    contentType,
    size: attachment.size,
    sha256: sha256Hex(attachment.content),
    ...(text === undefined ? {} : { text }),
  };
}

/** An RFC 822 message as an `email.received` event; a non-message becomes a rejected event. */
export async function parseEmail(raw: RawContent): Promise<Parsed> {
  if (raw.mediaType && !emailMediaTypes.has(raw.mediaType)) {
    return rejectInput('email', raw, 'wrong content type for an email source', [
      { pointer: '/contentType', message: `is ${raw.mediaType}; an email source takes message/rfc822` },
    ]);
  }
  const firstLine = raw.bytes.subarray(0, 1000).toString('latin1').replace(/^\s+/, '');
  const mail = await simpleParser(raw.bytes, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  if (!headerLine.test(firstLine) || !mail.headerLines.some((line) => identifyingHeaders.has(line.key))) {
    return rejectInput('email', raw, 'not an RFC 822 message', [
      { pointer: '/content/headers', message: 'has no header fields (From, To, Subject, Date or Message-ID)' },
    ]);
  }

  const guesses: Guess[] = [];
  const notes: string[] = [];
  const actor = sender(mail, guesses);
  const date = dateHeader(mail);
  const occurredAt = occurredAtOf(date, raw.receivedAt, guesses, notes);
  const messageId = bareId(mail.messageId);
  const { threadId, references } = threadOf(mail, messageId);
  const uri = messageId ? midUri(messageId) : hashUri(raw.bytes);
  const maxAttachmentBytes = raw.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const attachments = await Promise.all(
    mail.attachments.map((attachment, i) => attachmentOf(attachment, i, notes, maxAttachmentBytes)),
  );
  const oversized = mail.attachments.filter((attachment) => attachment.size > maxAttachmentBytes).length;
  const from = mailboxes(mail.from);
  const automated = automatedOf(
    mail,
    from.flatMap((mailbox) => mailbox.address ?? []),
  );
  const inReplyTo = bareId(mail.inReplyTo);
  const senderVerification = raw.senderVerification ?? (await verifySender(raw.bytes, raw.senderTrust));
  let text = (mail.text ?? '').trimEnd();
  // Nothing at all came out of a multipart message (no text, no HTML, no attachment): its parts were not found.
  if (!text.trim() && !mail.html && mail.attachments.length === 0 && isMultipart(raw.bytes)) {
    const recovered = await recoverBrokenParts(raw.bytes);
    if (recovered) {
      text = recovered;
      guesses.push('textFromBrokenMime');
      notes.push('the MIME boundaries match no part: the text was read from the raw parts');
    }
  }

  return {
    identity: uri,
    draft: {
      type: 'email.received',
      actor,
      source: { kind: 'email', uri, version: shortHash(raw.bytes) },
      occurredAt,
      confidence: confidenceFor(guesses),
      ...(threadId ? { threadId } : {}),
      payload: {
        subject: mail.subject ?? '',
        text,
        ...(mail.html ? { html: mail.html } : {}),
        // mailparser makes `text` from the HTML when there is no text part; readers may convert it better.
        ...(mail.html && !hasTextPart(raw.bytes) ? { textFromHtml: true } : {}),
        from,
        ...(automated ? { automated } : {}),
        replyTo: mailboxes(mail.replyTo),
        to: mailboxes(mail.to),
        cc: mailboxes(mail.cc),
        ...(messageId ? { messageId } : {}),
        ...(inReplyTo ? { inReplyTo } : {}),
        references,
        attachments,
        headers: signalHeadersOf(mail),
      },
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        contentType: 'message/rfc822',
        size: raw.bytes.length,
        ...(date ? { dateHeader: date.text } : {}),
        ...(date?.offsetMinutes === undefined ? {} : { utcOffset: formatOffset(date.offsetMinutes) }),
        guessed: guesses,
        ...(oversized > 0 || guesses.includes('textFromBrokenMime')
          ? {
              flags: [
                ...(oversized > 0 ? ['oversized-attachment'] : []),
                ...(guesses.includes('textFromBrokenMime') ? ['malformed-mime'] : []),
              ],
            }
          : {}),
        senderVerification,
        ...(notes.length > 0 ? { notes } : {}),
      },
    },
  };
}
