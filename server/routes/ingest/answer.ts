import { STATUS_CODES } from 'node:http';
import type { IngestReply } from '../../lib/ingest.ts';

// Every delivery that passed authentication is stored; the status says what became of it:
// 202 accepted (or a duplicate of an accepted event), 422 stored but unreadable (a rejected
// event: not JSON, nested too deeply, a NUL character …), 409 a reused idempotency key whose
// body differs from the first. A 4xx carries the error body of every refusal (message, fields)
// and the event it is about.

export function ingestStatus(reply: IngestReply): 202 | 409 | 422 {
  if (reply.bodyDiffers) return 409;
  return reply.status === 'rejected' ? 422 : 202;
}

export function answerOf(reply: IngestReply): IngestReply | (IngestReply & Record<string, unknown>) {
  const status = ingestStatus(reply);
  if (status === 202) return reply;
  const { message, errors } =
    status === 409
      ? {
          message: reply.bodyDiffers!.message,
          errors: [{ pointer: '/headers/idempotency-key', message: 'was used before with a different body' }],
        }
      : {
          message: `stored as rejected event ${reply.eventId}: ${reply.rejection?.reason ?? 'unreadable input'}`,
          errors: reply.rejection?.errors ?? [{ pointer: '/content', message: 'could not be read' }],
        };
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, errors, ...reply };
}
