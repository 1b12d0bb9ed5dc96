// The few pieces of the PostgreSQL v3 wire protocol the session server needs: cutting the
// client's byte stream into messages, renaming prepared statements per connection, building
// the messages used to clean up after a client, and reading ReadyForQuery in responses.
// https://www.postgresql.org/docs/current/protocol-message-formats.html

export const PROTOCOL_V3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;
/** A message longer than this is a broken or hostile client, not a query. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Before the startup message, messages have no type byte. */
export type FrontendMessage =
  { kind: 'ssl' | 'gssenc' | 'cancel' | 'startup'; bytes: Buffer } | { kind: 'typed'; type: string; bytes: Buffer };

/** Transaction status in ReadyForQuery: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

export class ProtocolError extends Error {}

/** Cuts a client's byte stream into whole messages, whatever the TCP segmentation. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;

  push(chunk: Buffer): FrontendMessage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: FrontendMessage[] = [];
    for (;;) {
      const message = this.started ? this.typed() : this.untyped();
      if (!message) return messages;
      messages.push(message);
    }
  }

  private untyped(): FrontendMessage | undefined {
    if (this.buffer.length < 8) return undefined;
    const length = this.checkedLength(this.buffer.readInt32BE(0), 8);
    if (this.buffer.length < length) return undefined;
    const bytes = this.take(length);
    const code = bytes.readInt32BE(4);
    if (code === SSL_REQUEST) return { kind: 'ssl', bytes };
    if (code === GSSENC_REQUEST) return { kind: 'gssenc', bytes };
    if (code === CANCEL_REQUEST) return { kind: 'cancel', bytes };
    if (code !== PROTOCOL_V3) throw new ProtocolError(`unsupported protocol version ${code >> 16}.${code & 0xffff}`);
    this.started = true;
    return { kind: 'startup', bytes };
  }

  private typed(): FrontendMessage | undefined {
    if (this.buffer.length < 5) return undefined;
    const length = 1 + this.checkedLength(this.buffer.readInt32BE(1), 4);
    if (this.buffer.length < length) return undefined;
    const bytes = this.take(length);
    return { kind: 'typed', type: String.fromCharCode(bytes[0] ?? 0), bytes };
  }

  private checkedLength(length: number, minimum: number): number {
    if (length < minimum || length > MAX_MESSAGE_BYTES) throw new ProtocolError(`invalid message length ${length}`);
    return length;
  }

  private take(length: number): Buffer {
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return bytes;
  }
}

/** A typed message from its type and body. */
export function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

export function cString(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

/** Reads a NUL-terminated string at `offset`; returns it and the offset after the NUL. */
function readCString(bytes: Buffer, offset: number): [string, number] {
  const end = bytes.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated string in message');
  return [bytes.toString('utf8', offset, end), end + 1];
}

/**
 * Prepared statements live in the one PGlite session that every connection shares, so two
 * clients that prepare the same name would collide. Named statements are given the
 * connection's prefix in Parse, Bind, Describe and Close; the unnamed statement and all
 * portals need no renaming because a connection holds the session from its first
 * extended-protocol message until ReadyForQuery, and portals end with their transaction.
 * Returns the message to send and the (renamed) statement it parses or closes, if any.
 */
export function renameStatements(
  type: string,
  bytes: Buffer,
  prefix: string,
): { bytes: Buffer; parsed?: string; closed?: string } {
  const rename = (name: string) => (name === '' ? '' : `${prefix}${name}`);
  const body = bytes.subarray(5);
  if (type === 'P') {
    const [name, rest] = readCString(body, 0);
    if (name === '') return { bytes };
    const renamed = rename(name);
    return { bytes: message('P', Buffer.concat([cString(renamed), body.subarray(rest)])), parsed: renamed };
  }
  if (type === 'B') {
    const [portal, afterPortal] = readCString(body, 0);
    const [statement, rest] = readCString(body, afterPortal);
    if (statement === '') return { bytes };
    return {
      bytes: message('B', Buffer.concat([cString(portal), cString(rename(statement)), body.subarray(rest)])),
    };
  }
  if (type === 'D' || type === 'C') {
    const kind = String.fromCharCode(body[0] ?? 0);
    const [name] = readCString(body, 1);
    if (kind !== 'S' || name === '') return { bytes };
    const renamed = rename(name);
    const out = message(type, Buffer.concat([Buffer.from('S'), cString(renamed)]));
    return type === 'C' ? { bytes: out, closed: renamed } : { bytes: out };
  }
  return { bytes };
}

/** Messages of the extended query protocol: after any of them, only Sync ends the sequence. */
export function isExtendedQuery(type: string): boolean {
  return type === 'P' || type === 'B' || type === 'D' || type === 'E' || type === 'C' || type === 'H';
}

/** What a response from the backend says about the session, scanned frame by frame. */
export interface ResponseSummary {
  readyForQuery: number;
  lastStatus?: TransactionStatus;
  /** CopyInResponse seen after the last ReadyForQuery: the backend waits for CopyData. */
  copyIn: boolean;
}

export function summariseResponse(out: Uint8Array): ResponseSummary {
  const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const summary: ResponseSummary = { readyForQuery: 0, copyIn: false };
  let offset = 0;
  while (offset + 5 <= bytes.length) {
    const type = bytes[offset];
    const length = bytes.readInt32BE(offset + 1);
    if (type === 0x5a /* Z */) {
      summary.readyForQuery += 1;
      summary.lastStatus = String.fromCharCode(bytes[offset + 5] ?? 0x49) as TransactionStatus;
      summary.copyIn = false;
    } else if (type === 0x47 /* G */) {
      summary.copyIn = true;
    }
    offset += 1 + length;
  }
  return summary;
}

/** An ErrorResponse with severity, SQLSTATE and message, as the backend would send it. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  return message(
    'E',
    Buffer.concat([
      Buffer.from('S'),
      cString(severity),
      Buffer.from('V'),
      cString(severity),
      Buffer.from('C'),
      cString(code),
      Buffer.from('M'),
      cString(text),
      Buffer.from([0]),
    ]),
  );
}

export const SYNC = message('S');

/** A Bind naming a statement that cannot exist: the error aborts an unfinished sequence. */
export function abortingBind(): Buffer {
  return message('B', Buffer.concat([cString(''), cString('\u0001trellis abort'), Buffer.alloc(6)]));
}

export function simpleQuery(sql: string): Buffer {
  return message('Q', cString(sql));
}

export function closeStatement(name: string): Buffer {
  return message('C', Buffer.concat([Buffer.from('S'), cString(name)]));
}

export function copyFail(reason: string): Buffer {
  return message('f', cString(reason));
}
