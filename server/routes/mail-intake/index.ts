import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { requestBackfill } from '../../../mail/intake/folder-store.ts';
import { mailAccountId } from '../../../schemas/mail-account.ts';
import type { ImapSettings, MailConnectionState } from '../../../schemas/mail-account.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { intakeStatus, runningMailIntake } from '../../lib/mail-intake.ts';

// The intake of an account as the operator sees it: per watched folder, the checkpoint, the
// back-fill's progress, the last error and (when this process runs it) the listener; and a way to
// ask for a back-fill of the last N days. Registered at prefix /mail: GET /api/mail/accounts/:id/intake
// and POST /api/mail/intake/:id/backfill.

const tags = ['mail'];
const params = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: mailAccountId },
} as const;

const listenerReply = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'idle', 'attempts', 'routed'],
  properties: {
    state: { enum: ['starting', 'standby', 'connecting', 'listening', 'backing-off', 'stopped'] },
    idle: { type: 'boolean' },
    attempts: { type: 'integer' },
    routed: { type: 'integer', description: 'Stored events this listener routed since it started.' },
    lastError: { type: 'string' },
  },
} as const;

const statusReply = {
  type: 'object',
  additionalProperties: false,
  required: ['accountId', 'imapState', 'folders'],
  properties: {
    accountId: { type: 'string' },
    imapState: { enum: ['unknown', 'ok', 'failing', 'disabled'] },
    imapError: { type: 'string' },
    folders: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['folder', 'lastUid', 'routingOwed', 'updatedAt'],
        properties: {
          folder: { type: 'string' },
          uidValidity: { type: 'string' },
          lastUid: { type: 'integer' },
          backfill: {
            type: 'object',
            additionalProperties: false,
            required: ['total', 'done'],
            properties: { total: { type: 'integer' }, done: { type: 'integer' } },
          },
          backfillRequestedDays: {
            type: 'integer',
            description: 'A back-fill of this many days is asked for and not finished yet.',
          },
          routingOwed: {
            type: 'integer',
            description: 'Messages stored as events and not routed yet: routing follows storing.',
          },
          leaseOwner: { type: 'string' },
          leaseUntil: { type: 'string' },
          lastError: { type: 'string' },
          updatedAt: { type: 'string' },
          listener: listenerReply,
        },
      },
    },
  },
} as const;

interface AccountRow {
  imap: ImapSettings | null;
  imap_state: MailConnectionState;
  imap_error: string | null;
}

export const mailIntakeRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;
  const account = async (id: string) => {
    const { rows } = await db.query<AccountRow>(
      'select imap, imap_state, imap_error from mail_accounts where id = $1',
      [id],
    );
    if (!rows[0]) throw notFound(`mail account "${id}"`, '/params/id');
    return rows[0];
  };

  app.get(
    '/accounts/:id/intake',
    {
      schema: {
        tags,
        params,
        response: { 200: statusReply },
        description: 'The intake of a mail account, per watched folder.',
      },
    },
    async (request) => intakeStatus(db, request.params.id, await account(request.params.id), runningMailIntake(app)),
  );

  app.post(
    '/intake/:id/backfill',
    {
      schema: {
        tags,
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['days'],
          properties: { days: { type: 'integer', minimum: 1, maximum: 3650 } },
        },
        response: { 202: statusReply },
        description:
          'Re-reads the last `days` days of every watched folder; mail taken before is not taken again. ' +
          'Progress shows as backfill.done of backfill.total in the intake status.',
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await account(id);
      if (!row.imap) throw badRequest(`mail account "${id}" has no IMAP settings to back-fill from`, '/params/id');
      await requestBackfill(db, id, row.imap.folders ?? ['INBOX'], request.body.days);
      runningMailIntake(app)?.wake(id);
      return reply.code(202).send(await intakeStatus(db, id, row, runningMailIntake(app)));
    },
  );
  return Promise.resolve();
};
