// An RFC 822 message as the extractor reads it, through the same ingest parser production
// mail goes through (so the CLI, the API, the bench and the tests see what the node sees).
import { emailInputOfEvent, type EmailInput } from '../../extraction/message/email-input.ts';
import { parseInput } from '../ingest/parse/index.ts';

export async function emailInputFromRaw(bytes: Buffer, receivedAt = new Date().toISOString()): Promise<EmailInput> {
  const parsed = await parseInput('email', { content: bytes.toString('base64'), encoding: 'base64' }, { receivedAt });
  if (parsed.draft.status === 'rejected') {
    throw new Error(`not an email: ${parsed.draft.rejection?.reason ?? 'unreadable'}`);
  }
  return emailInputOfEvent(parsed.draft);
}
