// What the extractor reads of an email: the parts ingest stores on an `email.received` event.
// The library never parses MIME itself; ingest (nodes/ingest/parse/email.ts) does, for
// production mail, the CLI and the corpus alike, so every path sees the same message.

export interface Mailbox {
  name?: string;
  address?: string;
}

export interface EmailInput {
  subject: string;
  text?: string;
  html?: string;
  /** The text was derived from the HTML by the MIME parser (the message had no text part). */
  textFromHtml?: boolean;
  from?: Mailbox;
  replyTo: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  /** When the sender wrote it, ISO 8601 with the sender's own UTC offset where the Date header gave one. */
  sentAt: string;
  /** Header fields that say what kind of mail this is, by lower-case name (see ingest's `signalHeaders`). */
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; text?: string }[];
}

interface EventLike {
  occurredAt: string;
  actor: { name?: string; address?: string };
  payload: Record<string, unknown> & { subject?: string; text?: string; html?: string };
}

function mailboxes(value: unknown): Mailbox[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return [];
    const { name, address } = item as Record<string, unknown>;
    return [
      {
        ...(typeof name === 'string' && name ? { name } : {}),
        ...(typeof address === 'string' && address ? { address: address.toLowerCase() } : {}),
      },
    ];
  });
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      typeof item === 'string' ? [[key.toLowerCase(), item]] : [],
    ),
  );
}

/** The email an event holds (events of other types give their text as the body). */
export function emailInputOfEvent(event: EventLike): EmailInput {
  const { payload } = event;
  const from = mailboxes(payload.from)[0] ?? {
    ...(event.actor.name ? { name: event.actor.name } : {}),
    ...(event.actor.address ? { address: event.actor.address.toLowerCase() } : {}),
  };
  const attachments = Array.isArray(payload.attachments)
    ? (payload.attachments as { filename?: unknown; contentType?: unknown; text?: unknown }[]).map((a) => ({
        filename: typeof a.filename === 'string' ? a.filename : 'attachment',
        contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
        ...(typeof a.text === 'string' ? { text: a.text } : {}),
      }))
    : [];
  return {
    subject: typeof payload.subject === 'string' ? payload.subject : '',
    ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
    ...(typeof payload.html === 'string' ? { html: payload.html } : {}),
    ...(payload.textFromHtml === true ? { textFromHtml: true } : {}),
    from,
    replyTo: mailboxes(payload.replyTo),
    to: mailboxes(payload.to),
    cc: mailboxes(payload.cc),
    sentAt: event.occurredAt,
    headers: stringRecord(payload.headers),
    attachments,
  };
}
