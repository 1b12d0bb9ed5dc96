import { parseContentType } from './bytes.ts';
import { parseDocument } from './document.ts';
import { parseEmail } from './email.ts';
import { parseForm } from './form.ts';
import { parseTranscriptInput } from './transcript.ts';
import { rejectInput } from './rejected.ts';
import type { IngestSourceKind, Parsed, RawContent } from './types.ts';
import { parseWebhook } from './webhook.ts';

export { ingestSourceKinds, eventTypes, type IngestSourceKind, type Parsed, type RawContent } from './types.ts';

/** The ingest node's `raw` input: JSON-serialisable, so it can travel through Temporal. */
export interface RawInput {
  content: string;
  encoding?: 'utf8' | 'base64';
  contentType?: string;
  uri?: string;
  version?: string;
  /** Transcript: when the meeting took place (ISO date-time), when the caller knows it. */
  meetingAt?: string;
  receivedAt?: string;
  idempotencyKey?: string;
}

export interface ParsedInput extends Parsed {
  /** The bytes as received (or the text as given, when it was not valid base64), to store with the event. */
  bytes: Buffer;
}

const base64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

const parsers: Record<IngestSourceKind, (raw: RawContent) => Parsed | Promise<Parsed>> = {
  email: parseEmail,
  webhook: parseWebhook,
  form: parseForm,
  document: parseDocument,
  transcript: parseTranscriptInput,
};

/**
 * Decodes and parses one input into an event draft. Never throws for bad input: whatever
 * cannot be read becomes a rejected draft naming the fields at fault.
 */
export async function parseInput(
  kind: IngestSourceKind,
  input: RawInput,
  context: Pick<RawContent, 'receivedAt' | 'sourceName' | 'senderTrust' | 'senderVerification' | 'maxAttachmentBytes'>,
): Promise<ParsedInput> {
  const { mediaType, charset } = parseContentType(input.contentType);
  const compact = input.encoding === 'base64' ? input.content.replace(/\s+/g, '') : '';
  const validBase64 = input.encoding !== 'base64' || base64.test(compact);
  const bytes =
    input.encoding === 'base64' && validBase64 ? Buffer.from(compact, 'base64') : Buffer.from(input.content);
  const raw: RawContent = {
    bytes,
    ...(mediaType ? { mediaType } : {}),
    ...(charset ? { charset } : {}),
    ...(input.uri ? { uri: input.uri } : {}),
    ...(input.version ? { version: input.version } : {}),
    ...(input.meetingAt ? { meetingAt: input.meetingAt } : {}),
    receivedAt: context.receivedAt,
    ...(context.sourceName ? { sourceName: context.sourceName } : {}),
    ...(context.senderTrust ? { senderTrust: context.senderTrust } : {}),
    ...(context.senderVerification ? { senderVerification: context.senderVerification } : {}),
    ...(context.maxAttachmentBytes === undefined ? {} : { maxAttachmentBytes: context.maxAttachmentBytes }),
  };
  if (!validBase64) {
    return {
      bytes,
      ...rejectInput(kind, raw, 'undecodable content', [{ pointer: '/content', message: 'is not valid base64' }]),
    };
  }
  if (bytes.length === 0 || (input.encoding !== 'base64' && !input.content.trim())) {
    return { bytes, ...rejectInput(kind, raw, 'empty input', [{ pointer: '/content', message: 'is empty' }]) };
  }
  try {
    return { bytes, ...(await parsers[kind](raw)) };
  } catch (error) {
    // A parser bug must not lose the input either.
    return {
      bytes,
      ...rejectInput(kind, raw, 'parser failed', [
        { pointer: '/content', message: `could not be parsed: ${(error as Error).message}` },
      ]),
    };
  }
}
