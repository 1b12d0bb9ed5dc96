import { randomUUID } from 'node:crypto';
import { assertValid, fieldErrors, validatorFor } from '../schemas/ajv.ts';
import { eventSchema, type Event, type SourceKind } from '../schemas/event.ts';
import { isoWithOffset, offsetOfIso } from '../schemas/timestamp-offset.ts';
import type { ClientLink } from '../security/client-link.ts';
import { decodeCursor, encodeCursor } from './paging.ts';
import { findClientByAddress } from './clients.ts';
import { findProjectByThread, findSingleActiveProject } from './projects.ts';
import type { Queryable } from './db.ts';

// The events table is append-only (a trigger refuses UPDATE and DELETE outside retention):
// this module only inserts and reads.

export type EventStatus = Event['status'];
export type Rejection = NonNullable<Event['rejection']>;

/** What a parser produces; the store adds id, receivedAt, status, links and the key. */
export type EventDraft = Omit<Event, 'id' | 'receivedAt' | 'status' | 'projectId' | 'clientId' | 'idempotencyKey'> & {
  /** Defaults to accepted; a rejected draft carries its `rejection`. */
  status?: EventStatus;
};

export interface RecordOptions {
  /** One event per key: a duplicate delivery or a retry returns the first event. */
  idempotencyKey: string;
  /** The bytes as they arrived, kept so nothing is lost and a later parser can re-read them. */
  raw?: Uint8Array;
  /** The configured source (webhook source name, mailbox) the event arrived through. */
  sourceName?: string;
  receivedAt?: string;
  /** Links decided by the caller (an upload into a project); otherwise found by sender and thread. */
  projectId?: string;
  clientId?: string;
}

export interface RecordedEvent {
  event: Event;
  /** True when the key was seen before: nothing was written and `event` is the first one. */
  duplicate: boolean;
}

interface EventRow {
  id: string;
  type: string;
  status: EventStatus;
  source_kind: SourceKind;
  source_name: string | null;
  source_uri: string;
  source_version: string;
  actor: Event['actor'];
  occurred_at: Date;
  occurred_offset_minutes: number | null;
  received_at: Date;
  confidence: number;
  project_id: string | null;
  client_id: string | null;
  thread_id: string | null;
  idempotency_key: string | null;
  payload: Event['payload'];
  metadata: Event['metadata'];
  rejection: Rejection | null;
}

// Every column but `raw`, which only getEventRaw reads.
const eventColumns = `id, type, status, source_kind, source_name, source_uri, source_version, actor, occurred_at,
  occurred_offset_minutes, received_at, confidence, project_id, client_id, thread_id, idempotency_key, payload, metadata, rejection`;

function toEvent(row: EventRow): Event {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    actor: row.actor,
    source: { kind: row.source_kind, uri: row.source_uri, version: row.source_version },
    // In the writer's own offset where ingest knew it (events stored before that read as UTC).
    occurredAt:
      row.occurred_offset_minutes === null
        ? row.occurred_at.toISOString()
        : isoWithOffset(row.occurred_at, row.occurred_offset_minutes),
    receivedAt: row.received_at.toISOString(),
    confidence: row.confidence,
    ...(row.project_id === null ? {} : { projectId: row.project_id }),
    ...(row.client_id === null ? {} : { clientId: row.client_id }),
    ...(row.thread_id === null ? {} : { threadId: row.thread_id }),
    ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
    payload: row.payload,
    metadata: row.metadata,
    ...(row.rejection === null ? {} : { rejection: row.rejection }),
  };
}

/**
 * PostgreSQL text and jsonb refuse NUL characters and lone surrogates, which mail bodies can
 * carry: drop NULs and replace lone surrogates rather than lose the event, counting the strings
 * changed so that the event says so (webhook and form JSON with a NUL is refused at parsing).
 */
export function storableJson<T>(value: T, altered: { strings: number } = { strings: 0 }): T {
  if (typeof value === 'string') {
    const clean = value.replaceAll('\u0000', '').toWellFormed();
    if (clean !== value) altered.strings += 1;
    return clean as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => storableJson(item, altered)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storableJson(key, altered), storableJson(item as unknown, altered)]),
    ) as T;
  }
  return value;
}

/**
 * Whether the sender is proven (DMARC pass, nodes/ingest/parse/email.ts): only then may a link
 * made from what the sender wrote (From address, References) be trusted.
 */
function senderProof(draft: EventDraft): { verified: boolean; reason: string } {
  const verification = draft.metadata['senderVerification'] as { status?: string; reason?: string } | undefined;
  if (verification?.status === 'pass') return { verified: true, reason: `sender verified: ${verification.reason}` };
  return {
    verified: false,
    reason: verification
      ? `sender not verified: ${verification.reason}`
      : 'the sender cannot be verified for this input',
  };
}

/** Project and client for an event: caller's links, else by thread, else by sender, else the client's one active project. */
async function findLinks(db: Queryable, draft: EventDraft, options: RecordOptions): Promise<Links> {
  let projectId = options.projectId;
  let clientId = options.clientId;
  if (draft.status === 'rejected') return { projectId, clientId };
  let by: ClientLink['by'] = 'caller';
  if (!projectId && draft.threadId) {
    const project = await findProjectByThread(db, draft.threadId);
    projectId = project?.id;
    if (project && !clientId) by = 'thread';
    clientId ??= project?.clientId;
  }
  if (!clientId && draft.actor.address) {
    clientId = (await findClientByAddress(db, draft.actor.address))?.id;
    by = 'address';
  }
  if (!projectId && clientId) projectId = (await findSingleActiveProject(db, clientId))?.id;
  if (!clientId && !projectId) return {};
  const caller = by === 'caller' && (options.clientId !== undefined || options.projectId !== undefined);
  const link: ClientLink = caller
    ? { by: 'caller', verified: true, reason: 'named by the caller' }
    : { by: by === 'caller' ? 'thread' : by, ...senderProof(draft) };
  return { projectId, clientId, link };
}

interface Links {
  projectId?: string;
  clientId?: string;
  link?: ClientLink;
}

function buildEvent(draft: EventDraft, id: string, receivedAt: string, idempotencyKey: string, links: Links): Event {
  const event = {
    ...draft,
    ...(links.link ? { metadata: { ...draft.metadata, clientLink: links.link } } : {}),
    id,
    status: draft.status ?? 'accepted',
    receivedAt,
    idempotencyKey,
    ...(links.projectId ? { projectId: links.projectId } : {}),
    ...(links.clientId ? { clientId: links.clientId } : {}),
  };
  const altered = { strings: 0 };
  const stored = storableJson(event, altered);
  if (altered.strings === 0) return stored;
  const note = `${altered.strings} text value(s) had NUL characters removed or broken surrogates replaced to be stored; the raw bytes are kept as they came`;
  return { ...stored, metadata: { ...stored.metadata, alteredForStorage: note } };
}

/**
 * A draft that fails the Event schema is a bug in its parser, but the input must not be
 * lost: it is stored as a rejected event naming the bad fields, the draft kept in metadata.
 */
function asRejected(event: Event): Event {
  const validate = validatorFor(eventSchema);
  const valid: boolean = validate(event);
  if (valid) return event;
  const errors = fieldErrors(validate.errors);
  const { id, receivedAt, idempotencyKey, projectId, clientId } = event;
  return {
    id,
    type: typeof event.type === 'string' && event.type.length > 0 ? event.type.slice(0, 100) : 'unknown.received',
    status: 'rejected',
    actor: { kind: 'system' },
    source: {
      kind: event.source.kind,
      uri: String(event.source.uri || `urn:uuid:${id}`).slice(0, 2000),
      version: String(event.source.version || 'unknown').slice(0, 200),
    },
    occurredAt: receivedAt,
    receivedAt,
    confidence: 0,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(projectId ? { projectId } : {}),
    ...(clientId ? { clientId } : {}),
    payload: {},
    metadata: { invalidDraft: event },
    rejection: { reason: 'the parsed event does not match the Event schema', errors },
  };
}

async function eventByKey(db: Queryable, idempotencyKey: string): Promise<Event | undefined> {
  const { rows } = await db.query<EventRow>(`select ${eventColumns} from events where idempotency_key = $1`, [
    idempotencyKey,
  ]);
  return rows[0] && toEvent(rows[0]);
}

/**
 * Stores an event once per idempotency key. Concurrent duplicates are settled by the
 * unique key (`on conflict do nothing`), so every caller gets the same first event.
 */
export async function recordEvent(db: Queryable, draft: EventDraft, options: RecordOptions): Promise<RecordedEvent> {
  // Insert first and read only on conflict: a new event costs one round trip, a duplicate two.
  const receivedAt = options.receivedAt ?? new Date().toISOString();
  const links = await findLinks(db, draft, options);
  const event = asRejected(buildEvent(draft, randomUUID(), receivedAt, options.idempotencyKey, links));
  assertValid<Event>(eventSchema, event, 'Event');

  const { rows } = await db.query<EventRow>(
    `insert into events (id, type, status, source_kind, source_name, source_uri, source_version, actor, occurred_at,
       received_at, confidence, project_id, client_id, thread_id, idempotency_key, payload, metadata, rejection, raw,
       occurred_offset_minutes)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     on conflict (idempotency_key) do nothing
     returning ${eventColumns}`,
    [
      event.id,
      event.type,
      event.status,
      event.source.kind,
      options.sourceName ?? null,
      event.source.uri,
      event.source.version,
      JSON.stringify(event.actor),
      event.occurredAt,
      event.receivedAt,
      event.confidence,
      event.projectId ?? null,
      event.clientId ?? null,
      event.threadId ?? null,
      options.idempotencyKey,
      JSON.stringify(event.payload),
      JSON.stringify(event.metadata),
      event.rejection ? JSON.stringify(event.rejection) : null,
      options.raw ? Buffer.from(options.raw.buffer, options.raw.byteOffset, options.raw.byteLength) : null,
      // 'Z' is UTC by convention, not a stated offset: it reads back as it was written.
      /z$/i.test(event.occurredAt) ? null : (offsetOfIso(event.occurredAt) ?? null),
    ],
  );
  if (rows[0]) return { event: toEvent(rows[0]), duplicate: false };
  // Another delivery with the same key committed between our read and our insert.
  const first = await eventByKey(db, options.idempotencyKey);
  if (!first) throw new Error(`event ${options.idempotencyKey} vanished after a conflict`);
  return { event: first, duplicate: true };
}

export async function getEvent(db: Queryable, id: string): Promise<Event | undefined> {
  const { rows } = await db.query<EventRow>(`select ${eventColumns} from events where id = $1`, [id]);
  return rows[0] && toEvent(rows[0]);
}

export async function getEventByKey(db: Queryable, idempotencyKey: string): Promise<Event | undefined> {
  return eventByKey(db, idempotencyKey);
}

/** The bytes an event arrived as, when they were kept. */
export async function getEventRaw(db: Queryable, id: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ raw: Buffer | null }>('select raw from events where id = $1', [id]);
  return rows[0]?.raw ?? undefined;
}

export interface EventQuery {
  projectId?: string;
  clientId?: string;
  type?: string;
  status?: EventStatus;
  /** Received at or after (ISO 8601). */
  since?: string;
  /** Received before (ISO 8601). */
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface EventPage {
  events: Event[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Events, newest received first, a page at a time (keyset paging: stable while events arrive). */
export async function listEvents(db: Queryable, query: EventQuery = {}): Promise<EventPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
  const [beforeReceived, beforeId] = query.cursor ? decodeCursor(query.cursor, 2) : [null, null];
  const { rows } = await db.query<EventRow & { cursor_at: string }>(
    `select ${eventColumns}, received_at::text as cursor_at from events
     where ($1::text is null or project_id = $1)
       and ($2::text is null or client_id = $2)
       and ($3::text is null or type = $3)
       and ($4::text is null or status = $4)
       and ($5::timestamptz is null or received_at >= $5)
       and ($6::timestamptz is null or received_at < $6)
       and ($7::timestamptz is null or (received_at, id) < ($7::timestamptz, $8))
     order by received_at desc, id desc limit $9`,
    [
      query.projectId ?? null,
      query.clientId ?? null,
      query.type ?? null,
      query.status ?? null,
      query.since ?? null,
      query.until ?? null,
      beforeReceived,
      beforeId,
      limit + 1,
    ],
  );
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return {
    events: events.map(toEvent),
    ...(rows.length > limit && last ? { nextCursor: encodeCursor([last.cursor_at, last.id]) } : {}),
  };
}
