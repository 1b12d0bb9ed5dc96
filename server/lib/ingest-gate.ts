import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Hmac } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Db } from '../../store/db.ts';
import {
  verifyingSecrets,
  type VerifiableSource,
  type WebhookSource,
  type WebhookSourceKind,
} from '../../store/webhook-sources.ts';
import { sourceName } from '../schemas/ingest.ts';
import { badRequest, HttpError, notFound, unauthorized } from './http-errors.ts';
import type { SourceCache } from './ingest.ts';
import { findMailAccountSource } from './mail-source.ts';
import {
  checkSignatureHeaders,
  sameSignature,
  SIGNATURE_HEADER,
  SIGNATURE_MISMATCH,
  signatureMac,
  TIMESTAMP_HEADER,
} from './signature.ts';

// Ingest is open to the internet, so everything that can be checked without the body is checked
// before a byte of it is read (Fastify's preParsing hook): the signature headers, the source, the
// declared length. The body then streams through the MAC with the source's size limit enforced
// while it arrives; the handler compares the MAC once the body is complete.

export const JSON_LIMIT = 1024 * 1024;
export const FILE_LIMIT = 10 * 1024 * 1024;

/** The body types ingest reads: JSON up to 1 MB, mail and documents up to 10 MB. */
export const jsonTypes: (string | RegExp)[] = [
  'application/json',
  /^application\/[\w.+-]+\+json$/,
  'application/x-www-form-urlencoded',
];
export const fileTypes: (string | RegExp)[] = [
  'message/rfc822',
  'application/pdf',
  'application/octet-stream',
  'application/x-subrip',
  /^text\/[\w.+-]+$/,
];

/** Webhooks and forms are JSON (1 MB); mail and documents may be larger (10 MB). */
export const bodyLimitOf = (kind: WebhookSourceKind): number =>
  kind === 'webhook' || kind === 'form' ? JSON_LIMIT : FILE_LIMIT;

/** The limit of a body type, whatever the source: what a caller not yet authenticated is held to. */
function typeLimitOf(contentType: string | undefined): number {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return jsonTypes.some((type) => (typeof type === 'string' ? type === mediaType : type.test(mediaType)))
    ? JSON_LIMIT
    : FILE_LIMIT;
}

export interface IngestGate {
  source: VerifiableSource;
  /**
   * Set for a signed delivery; absent for an operator's upload with a bearer token. One MAC per
   * secret that verifies now: two during a rotation's overlap.
   */
  signature?: { value: string; signedAt: Date; macs: Hmac[] };
  /** Body bytes that went through the MAC. */
  bytes: number;
}

const sourcePattern = new RegExp(sourceName.pattern);

const gates = new WeakMap<FastifyRequest, IngestGate>();

const tooLarge = (limit: number, size: string, kind?: string) =>
  new HttpError(413, `${kind ? `a ${kind}` : 'this'} body may be at most ${limit} bytes`, [
    { pointer: '/', message: `is ${size}` },
  ]);

/** A request that is refused before its body was read: close the connection rather than drain the body. */
function refuse(reply: FastifyReply, error: HttpError): HttpError {
  void reply.header('connection', 'close');
  return error;
}

/**
 * preParsing: authenticates what the headers can (a bearer token was checked by the API's onRequest
 * hook), looks the source up, and returns the body stream metered into the MAC. An unknown source
 * answers exactly like a wrong signature unless the caller showed a token.
 */
export async function openGate(
  db: Db,
  sources: SourceCache,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: NodeJS.ReadableStream,
): Promise<NodeJS.ReadableStream> {
  const trusted = request.tokenId !== undefined;
  const name = (request.params as { source?: string }).source ?? '';
  // The name's pattern is public: a name that breaks it is the caller's mistake, not a probe.
  if (!sourcePattern.test(name)) {
    throw refuse(reply, badRequest(`source must match ${sourcePattern.source}`, '/params/source'));
  }
  let signed: { value: string; signedAt: Date; timestamp: string } | undefined;
  if (!trusted) {
    const check = checkSignatureHeaders({
      signature: request.headers[SIGNATURE_HEADER],
      timestamp: request.headers[TIMESTAMP_HEADER],
    });
    if (!check.ok) throw refuse(reply, unauthorized(check.reason, check.pointer));
    signed = { value: check.signature, signedAt: check.signedAt, timestamp: check.timestamp };
  }
  // Until the MAC is checked, only limits that do not depend on the source apply: a limit by the
  // source's kind would tell a known source (413) from an unknown one (401).
  const declared = Number(request.headers['content-length']);
  const typeLimit = typeLimitOf(request.headers['content-type']);
  if (declared > typeLimit) throw refuse(reply, tooLarge(typeLimit, `${declared} bytes`));
  // An operator's upload may also name a mail account (its mail, as if the intake had fetched it).
  const source = (await sources.get(db, name)) ?? (trusted ? await findMailAccountSource(db, name) : undefined);
  if (!source) {
    throw refuse(
      reply,
      trusted
        ? notFound('webhook source or mail account', '/params/source')
        : unauthorized(SIGNATURE_MISMATCH, `/headers/${SIGNATURE_HEADER}`),
    );
  }
  // An operator's upload is held to its source's limit at once; a signed delivery once its MAC matched (passGate).
  const limit = signed ? typeLimit : Math.min(typeLimit, bodyLimitOf(source.kind));
  if (declared > limit) throw refuse(reply, tooLarge(limit, `${declared} bytes`, source.kind));

  const gate: IngestGate = {
    source,
    bytes: 0,
    ...(signed
      ? {
          signature: {
            value: signed.value,
            signedAt: signed.signedAt,
            macs: verifyingSecrets(source).map((secret) => signatureMac(secret, signed.timestamp)),
          },
        }
      : {}),
  };
  gates.set(request, gate);
  const metered = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      gate.bytes += chunk.length;
      if (gate.bytes > limit) {
        void reply.header('connection', 'close');
        done(tooLarge(limit, `over ${limit} bytes`));
        return;
      }
      for (const mac of gate.signature?.macs ?? []) mac.update(chunk);
      done(null, chunk);
    },
  });
  payload.on('error', (error: Error) => metered.destroy(error));
  return payload.pipe(metered);
}

/**
 * The handler's check once the body is complete: the MAC covers exactly the bytes received.
 * Returns the source and, for a signed delivery, its signature (for the replay check).
 */
export function passGate(
  request: FastifyRequest,
  body: Buffer,
): { source: WebhookSource; signature?: { value: string; signedAt: Date } } {
  const gate = gates.get(request);
  if (!gate) throw new Error('ingest: the request did not pass the preParsing gate');
  // The secrets stay here: what goes on (the event, its logs) needs only the source's name and kind.
  const { secrets: _secrets, ...source } = gate.source;
  if (!gate.signature) return { source };
  // Every MAC is compared (no early exit), so the time taken does not say which secret matched.
  const { value, macs } = gate.signature;
  const matches = macs.map((mac) => sameSignature(value, mac));
  if (gate.bytes !== body.length || !matches.includes(true))
    throw unauthorized(SIGNATURE_MISMATCH, `/headers/${SIGNATURE_HEADER}`);
  const limit = bodyLimitOf(source.kind);
  if (body.length > limit) throw tooLarge(limit, `${body.length} bytes`, source.kind);
  return { source, signature: { value: gate.signature.value, signedAt: gate.signature.signedAt } };
}
