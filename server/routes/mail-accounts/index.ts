import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import {
  createMailAccount,
  deleteMailAccount,
  getMailAccount,
  getMailAccountSecrets,
  listMailAccounts,
  updateMailAccount,
  type MailDirection,
} from '../../../store/mail-accounts.ts';
import { listWebhookSources } from '../../../store/webhook-sources.ts';
import { badRequest, conflict, notFound } from '../../lib/http-errors.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import { recordConnectionTests, runConnectionTests } from './run-tests.ts';
import {
  accountListReply,
  accountParams,
  accountReply,
  createAccountBody,
  patchAccountBody,
  testReply,
  testStoredBody,
  testUnsavedBody,
} from './schemas.ts';

const tags = ['mail'];

/**
 * Mail accounts: the mailbox Trellis reads and the server it sends through. Passwords are
 * write-only: taken on create and update, sealed at rest, answered as `hasPassword`, and opened
 * only to connect. An account's id is also the ingest source name of its mail.
 */
export const mailAccountRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db, keyring } = app.services;

  app.get('/', { schema: { tags, response: { 200: accountListReply } } }, async () => ({
    accounts: await listMailAccounts(db),
  }));

  app.get('/:id', { schema: { tags, params: accountParams, response: { 200: accountReply } } }, async (request) => {
    const account = await getMailAccount(db, request.params.id);
    if (!account) throw notFound('mail account', '/params/id');
    return account;
  });

  app.post(
    '/',
    {
      schema: {
        tags,
        body: createAccountBody,
        response: { 201: accountReply },
        description:
          'Adds an account. Its id is also the source name its mail is ingested under, so it must not be taken ' +
          'by another account or by a webhook source (409). Passwords are sealed and never answered.',
      },
    },
    async (request, reply) => {
      const { id } = request.body;
      const sources = await listWebhookSources(db);
      if (sources.some((source) => source.name === id))
        throw conflict(`a webhook source named "${id}" exists; an account's id is its mail's source name`, '/id');
      const account = await createMailAccount(db, keyring, request.body);
      if (!account) throw conflict(`a mail account "${id}" exists`, '/id');
      return reply.code(201).send(account);
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        params: accountParams,
        body: patchAccountBody,
        response: { 200: accountReply },
        description:
          'Changes an account. A direction given replaces its settings (without a password: the stored one is ' +
          'kept); null removes the direction. Changed settings reset that direction to the state "unknown".',
      },
    },
    async (request) => {
      const account = await updateMailAccount(db, keyring, request.params.id, request.body);
      if (!account) throw notFound('mail account', '/params/id');
      return account;
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        params: accountParams,
        description: 'Removes the account with its folder checkpoints and claims; its events and sent mail stay.',
      },
    },
    async (request, reply) => {
      if (!(await deleteMailAccount(db, request.params.id))) throw notFound('mail account', '/params/id');
      return reply.code(204).send();
    },
  );

  app.post(
    '/:id/test',
    {
      schema: {
        tags,
        params: accountParams,
        body: testStoredBody,
        response: { 200: testReply },
        description:
          'Connects with the stored settings (IMAP: logs in, lists the folders, checks the ones the settings ' +
          'name; SMTP: logs in, sends nothing) and records each direction as "ok" or "failing" with its message.',
      },
      preValidation: optionalBody,
    },
    async (request) => {
      const { id } = request.params;
      const secrets = await getMailAccountSecrets(db, keyring, id);
      if (!secrets) throw notFound('mail account', '/params/id');
      const asked = request.body.direction ?? 'both';
      const configured = (['imap', 'smtp'] as const).filter((direction) => secrets[direction]);
      const directions: MailDirection[] = asked === 'both' ? configured : [asked];
      const missing = directions.find((direction) => !secrets[direction]);
      if (missing) throw badRequest(`mail account "${id}" has no ${missing.toUpperCase()} settings`, '/direction');
      if (directions.length === 0) throw badRequest(`mail account "${id}" has neither IMAP nor SMTP settings`, '/');
      const report = await runConnectionTests(secrets, directions);
      await recordConnectionTests(db, id, report);
      return report;
    },
  );

  app.post(
    '/test',
    {
      schema: {
        tags,
        body: testUnsavedBody,
        response: { 200: testReply },
        description:
          'Tests settings that are not saved (the form before saving), passwords included in the body; ' +
          'stores nothing. Give imap, smtp or both.',
      },
    },
    async (request) => runConnectionTests(request.body, ['imap', 'smtp']),
  );

  return Promise.resolve();
};
