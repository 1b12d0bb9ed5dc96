// An RFC 822 message as the extractor reads it, through the same ingest parser production
// mail goes through (so the CLI, the API, the bench and the tests see what the node sees).
import { emailInputOfEvent, type EmailInput } from '../../extraction/message/email-input.ts';
import { isoWithOffset, offsetOfDateHeader } from '../../schemas/timestamp-offset.ts';
import { parseInput } from '../ingest/parse/index.ts';

export interface EmlOptions {
  /** When the message is taken as received: the time for a message without a Date header. */
  receivedAt?: string;
  /**
   * Read a Date header after `receivedAt` as written instead of as a wrong clock (ingest replaces
   * it): for reading a file offline, where "received" is only now.
   */
  trustDateHeader?: boolean;
}

export async function emailInputFromRaw(bytes: Buffer, options: EmlOptions | string = {}): Promise<EmailInput> {
  const { receivedAt = new Date().toISOString(), trustDateHeader = false } =
    typeof options === 'string' ? { receivedAt: options } : options;
  const parsed = await parseInput(
    'email',
    { content: bytes.toString('base64'), encoding: 'base64' },
    {
      receivedAt,
      senderTrust: { offline: true },
    },
  );
  if (parsed.draft.status === 'rejected') {
    throw new Error(`not an email: ${parsed.draft.rejection?.reason ?? 'unreadable'}`);
  }
  const input = emailInputOfEvent(parsed.draft);
  const { dateHeader: header, guessed } = parsed.draft.metadata as { dateHeader?: unknown; guessed?: unknown };
  const fromReceipt = Array.isArray(guessed) && guessed.includes('occurredAtFromReceipt');
  if (trustDateHeader && typeof header === 'string' && fromReceipt) {
    const instant = new Date(header);
    const offset = offsetOfDateHeader(header);
    if (!Number.isNaN(instant.getTime()) && instant.getUTCFullYear() >= 1990)
      return { ...input, sentAt: offset === undefined ? instant.toISOString() : isoWithOffset(instant, offset) };
  }
  return input;
}
