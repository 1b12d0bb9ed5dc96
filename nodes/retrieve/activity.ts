import type { MemoryFilters } from '../../memory/types.ts';
import { trustedLinks } from '../../security/client-link.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { RetrieveConfig, RetrieveInput, RetrieveOutput } from './definition.ts';

const DAY = 86_400_000;

function queryText(input: RetrieveInput, config: RetrieveConfig): string {
  if (config.query?.trim()) return config.query;
  if (input.query?.trim()) return input.query;
  const payload = input.event?.payload;
  return [payload?.subject, payload?.text].filter(Boolean).join('\n').slice(0, 2000);
}

function filtersFor(input: RetrieveInput, config: RetrieveConfig, now: Date): MemoryFilters {
  const filters: MemoryFilters = {};
  const scope = config.scope ?? 'project';
  const event = input.event;
  if (scope === 'project' && event?.projectId) filters.projectId = event.projectId;
  else if (scope !== 'all' && event?.clientId) filters.clientId = event.clientId;
  if (config.kinds?.length) filters.kinds = [...config.kinds];
  if (config.sinceDays) filters.createdAfter = new Date(now.getTime() - config.sinceDays * DAY).toISOString();
  return filters;
}

/** How many attempts the declaration allows: on the last one an outage degrades per policy. */
const LAST_ATTEMPT = 3;
/** A search that takes longer than this counts as an outage (a dead gRPC peer is retried for a long time). */
const SEARCH_DEADLINE_MS = 8_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`memory search did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export const runRetrieve: RunFn<RetrieveConfig, RetrieveInput, RetrieveOutput> = async (input, config, context) => {
  const query = queryText(input, config);
  if (!query) throw new Error('retrieve needs a query: connect an event or a query, or set one in the config');
  const options = {
    filters: filtersFor(input, config, context.services.now()),
    k: config.k ?? 8,
    alpha: config.alpha ?? 0.5,
  };
  try {
    const result = await withDeadline(context.services.memory.search(query, options), SEARCH_DEADLINE_MS);
    // A client named only by what the sender wrote (an unverified From) must not have their
    // memory flow into a draft unchecked: a person confirms the sender first.
    const guess = (config.scope ?? 'project') === 'all' ? undefined : trustedLinks(input.event).withheld;
    if (guess && result.hits.length > 0) {
      return {
        human: {
          kind: 'review',
          title: "Check the sender before their client's memory is used",
          instructions:
            "Approve only if this mail really comes from the client it was linked to; reject (or edit to remove records) otherwise. A forged sender would otherwise pull another client's facts into the reply.",
          reason: guess,
          context: { query, filters: options.filters, sender: input.event?.actor },
          proposed: {
            context: {
              query,
              fingerprint: result.fingerprint,
              indexVersion: result.indexVersion,
              ids: result.ids,
              records: result.hits,
            },
          },
        },
        meta: { notes: [guess] },
      };
    }
    return {
      output: {
        context: {
          query,
          fingerprint: result.fingerprint,
          indexVersion: result.indexVersion,
          ids: result.ids,
          records: result.hits,
        },
      },
      meta: {
        model: result.embeddingModel,
        notes: [`fingerprint ${result.fingerprint.slice(0, 12)}…, ${result.ids.length} records`],
      },
    };
  } catch (error) {
    // Let Temporal retry; on the last attempt, degrade as the node's policy says.
    const policy = config.onUnavailable ?? 'human';
    if (context.attempt < LAST_ATTEMPT || policy === 'fail') throw error;
    const reason = `memory unavailable after ${context.attempt} attempts: ${(error as Error).message}`;
    const empty = { query, fingerprint: 'unavailable', indexVersion: 'unavailable', ids: [], records: [] };
    if (policy === 'empty')
      return { output: { context: empty }, meta: { notes: [reason, 'continued with no context'] } };
    return {
      human: {
        kind: 'fallback',
        title: 'Memory is unreachable: supply the context or go on without it',
        instructions: 'Approve to continue with no retrieved context, or edit to paste the facts the next steps need.',
        reason,
        context: { query, filters: options.filters },
        proposed: { context: empty },
      },
      meta: { notes: [reason] },
    };
  }
};
