import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import {
  acceptSuggestion,
  activeRuleSet,
  ControlError,
  dismissSuggestion,
  getRuleSet,
  listRoutings,
  listRuleSets,
  listSuggestions,
  saveRuleSet,
  type RuleSetBody,
} from '../../../control/index.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import {
  byBody,
  controlIdParams,
  listRoutingsQuery,
  listRuleSetsQuery,
  listSuggestionsQuery,
  ruleSetParams,
  saveRuleSetBody,
} from '../../schemas/control.ts';

const tags = ['routing'];
const onSuggestion = { controlErrors: { 400: '/params/id', 404: '/params/id', 409: '/params/id' } } as const;

/** The field of the rule set a refusal like "rule billing: workflow x has no version 3" is about. */
export function ruleErrorPointer(body: RuleSetBody, message: string): string {
  const match = /^rule (\S+): (.*)$/s.exec(message);
  if (!match) return '/rules';
  const index = body.rules.findIndex((rule) => rule.id === match[1]);
  const base = index >= 0 ? `/rules/${index}` : '/default';
  if (match[2]?.includes('input mapping')) return `${base}/inputMapping`;
  if (match[2]?.includes('has no version')) return `${base}/version`;
  return base;
}

/** The intent router's rules (numbered rule sets; a draft goes live by promoting a canary), its decisions, and suggested rules. */
export const routingRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get(
    '/rules',
    { schema: { tags, description: 'The live rule set (version 0: none yet, all to triage).' } },
    async () => ({
      ruleSet: await activeRuleSet(db),
    }),
  );

  app.get('/rule-sets', { schema: { tags, querystring: listRuleSetsQuery } }, async (request) => ({
    ruleSets: await listRuleSets(db, { limit: request.query.limit }),
  }));

  app.get('/rule-sets/:version', { schema: { tags, params: ruleSetParams } }, async (request) => {
    const ruleSet = await getRuleSet(db, request.params.version);
    if (!ruleSet) throw notFound('rule set', '/params/version');
    return { ruleSet };
  });

  app.post(
    '/rule-sets',
    {
      schema: { tags, body: saveRuleSetBody, description: 'Saves the next rule set version as a draft.' },
    },
    async (request, reply) => {
      const { createdBy, ...body } = request.body as RuleSetBody & { createdBy?: string };
      try {
        const ruleSet = await saveRuleSet(db, body, { createdBy: createdBy ?? 'operator' });
        return await reply.code(201).send({ ruleSet });
      } catch (error) {
        if (error instanceof ControlError && error.statusCode === 400 && !error.message.startsWith('/'))
          throw badRequest(error.message, ruleErrorPointer(body, error.message));
        throw error;
      }
    },
  );

  app.get('/routings', { schema: { tags, querystring: listRoutingsQuery } }, async (request) => {
    const { from, to, clientId, limit } = request.query;
    return {
      routings: await listRoutings(db, {
        limit,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(clientId ? { clientId } : {}),
      }),
    };
  });

  app.get('/suggestions', { schema: { tags, querystring: listSuggestionsQuery } }, async (request) => ({
    suggestions: await listSuggestions(db, request.query.status ? { status: request.query.status } : {}),
  }));

  app.post(
    '/suggestions/:id/accept',
    {
      schema: { tags, params: controlIdParams, body: byBody, description: 'Writes the rule into a draft rule set.' },
      config: onSuggestion,
      preValidation: optionalBody,
    },
    async (request, reply) => {
      const ruleSet = await acceptSuggestion(db, request.params.id, request.body.by ?? 'operator');
      return reply.code(201).send({ ruleSet });
    },
  );

  app.post(
    '/suggestions/:id/dismiss',
    { schema: { tags, params: controlIdParams, body: byBody }, config: onSuggestion, preValidation: optionalBody },
    async (request) => {
      await dismissSuggestion(db, request.params.id, request.body.by ?? 'operator');
      const suggestion = (await listSuggestions(db, { status: 'dismissed' })).find((s) => s.id === request.params.id);
      return { suggestion };
    },
  );

  return Promise.resolve();
};
