import type { SenderVerification, VerifySenderOptions } from '../../../mail/verify-sender.ts';
import type { EventDraft } from '../../../store/events.ts';

export const ingestSourceKinds = ['email', 'webhook', 'form', 'document', 'transcript'] as const;
export type IngestSourceKind = (typeof ingestSourceKinds)[number];

/** The event type each source produces, accepted or rejected. */
export const eventTypes = {
  email: 'email.received',
  webhook: 'webhook.received',
  form: 'form.submitted',
  document: 'document.received',
  transcript: 'meeting.transcript',
} as const satisfies Record<IngestSourceKind, string>;

/** Decoded input as a parser sees it. */
export interface RawContent {
  bytes: Buffer;
  /** Media type, lower-case, without parameters: `message/rfc822`, `application/pdf`. */
  mediaType?: string;
  /** The `charset` parameter of the declared content type, if any. */
  charset?: string;
  /** Declared identity of a document (`doc://…`, a file path) and its version. */
  uri?: string;
  version?: string;
  /** Transcript: when the meeting took place, as the caller knows it. */
  meetingAt?: string;
  receivedAt: string;
  sourceName?: string;
  /** How to check that an email's sender is who its From header says (mail/verify-sender.ts). */
  senderTrust?: VerifySenderOptions;
  /** The sender, already checked by the caller (outside its database transaction). */
  senderVerification?: SenderVerification;
  /** Email: attachments above this size are listed, not read (the mail account's maxAttachmentBytes). */
  maxAttachmentBytes?: number;
}

export interface Parsed {
  draft: EventDraft;
  /**
   * What makes two deliveries the same event: the Message-ID, the webhook's own id, a
   * document's uri@version, else a hash of the bytes. The idempotency key is built from it.
   */
  identity: string;
}
