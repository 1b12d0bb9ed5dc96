import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { assertValid } from '../../schemas/ajv.ts';
import type { HumanRequest } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { EventValue, Extraction } from '../sdk/ports.ts';
import { applyCorrections } from './corrections.ts';
import {
  defaultExtractPolicy,
  extractDeclaration,
  type ExtractConfig,
  type ExtractInput,
  type ExtractOutput,
} from './definition.ts';
import { knownClientsOf } from './known-clients.ts';
import { findCorrections, type Learned } from './learned.ts';
import { buildMessages, providerAnswerSchema, providerParser } from './prompt.ts';
import { localModelName } from './local-model.ts';
import { resolveModels } from './intent-model.ts';
import { toPort } from './to-port.ts';

/**
 * What an unsure result reports to the router: just under the default minConfidence, so it goes on
 * to the provider or a person unless the owner lowers the threshold (through a canary) on purpose.
 */
const UNSURE_CAP = defaultExtractPolicy.minConfidence * 0.99;

/** Room for every item of a long email in JSON. */
const MAX_OUTPUT_TOKENS = 2_048;

function humanExtraction(event: EventValue, reason: string, proposed: Extraction | undefined): HumanRequest {
  const subject = event.payload.subject?.trim();
  return {
    kind: 'extraction',
    title: subject ? `Check what "${subject.slice(0, 80)}" asks for` : `Check what ${event.type} ${event.id} asks for`,
    instructions:
      "Confirm or correct the intent, the client, the action items (owner, due date), dates and amounts, then approve. The machine's best attempt is filled in, and the words it read each value from are highlighted.",
    reason,
    context: { event },
    // A proposal is the node's output (its ports), so approving it hands downstream `extraction`.
    ...(proposed ? { proposed: { extraction: { ...proposed, tier: 'human' as const } } } : {}),
  };
}

/** Same event, same request: same cache entry. The router adds the model to the key. */
function cacheKeyOf(
  input: ExtractInput,
  fields: readonly string[],
  learned: Learned,
  retrainedIntent: string | undefined,
): string {
  const { event, context } = input;
  // A new correction changes the prompt, so it must miss the cache; no correction keeps the old keys.
  const corrections = learned.corrections.map((c) => c.id);
  return createHash('sha256')
    .update(
      canonicalize({
        node: 'extract@1',
        schema: providerAnswerSchema,
        source: event.source,
        occurredAt: event.occurredAt,
        subject: event.payload.subject ?? '',
        text: event.payload.text ?? '',
        fields,
        context: context?.fingerprint ?? null,
        ...(corrections.length > 0 ? { corrections } : {}),
        // Likewise a retrained intent model; the shipped one keeps the old keys.
        ...(retrainedIntent ? { intentModel: retrainedIntent } : {}),
      }),
    )
    .digest('hex');
}

/**
 * The extraction library (extraction/) reads the email; its calibrated route decides whether the
 * result may go on alone. When it may not, the provider is asked (values it cannot ground in the
 * email are dropped), and when that is not enough, a person checks. Never a silent guess.
 */
export const runExtract: RunFn<ExtractConfig, ExtractInput, ExtractOutput> = async (input, config, context) => {
  // The interpreter validates too; this node may also be called directly (tests, tools).
  assertValid(extractDeclaration.input, input, 'extract input', '/input');
  assertValid(extractDeclaration.config, config, 'extract config', '/config');
  const { event } = input;
  const policy = config.policy ?? defaultExtractPolicy;
  const fields = config.fields ?? [];
  if (event.status === 'rejected') {
    return {
      human: humanExtraction(
        event,
        `the event was rejected at ingest: ${event.rejection?.reason ?? 'invalid'}`,
        undefined,
      ),
    };
  }
  const email = emailInputOfEvent(
    config.referenceDate === 'receivedAt' ? { ...event, occurredAt: event.receivedAt } : event,
  );
  const resolved = await resolveModels(context.services.db);
  const model = localModelName(resolved.intentVersion);
  const result = extractEmail(email, {
    knownClients: await knownClientsOf(context.services.db),
    models: resolved.models,
  });
  const learned: Learned =
    config.learnFromCorrections === false
      ? { corrections: [], notes: [] }
      : await findCorrections(context.services, event);
  const localNotes: string[] = [
    ...(resolved.retrained ? [`intent model ${resolved.intentVersion} (retrained from corrections, live)`] : []),
    ...learned.notes,
  ];
  const outcome = await context.services.models.call<Extraction>({
    nodeType: 'extract',
    policy,
    cacheKey: cacheKeyOf(input, fields, learned, resolved.retrained ? resolved.intentVersion : undefined),
    local: () => {
      const mapped = toPort(result, event, fields, model);
      const corrected = applyCorrections(mapped.extraction, event, learned.corrections);
      localNotes.push(
        ...mapped.notes,
        ...corrected.notes,
        ...result.reasons.map((reason) => `route ${result.route}: ${reason}`),
      );
      // The calibrated route is the local tier's verdict: unsure results go on to the provider or a
      // person. The owner's corrections of this client's similar mail settle what they corrected.
      const settled = corrected.notes.length > 0;
      const extraction = settled
        ? {
            ...corrected.extraction,
            route: 'auto' as const,
            reasons: ["settled by the owner's corrections of similar mail"],
          }
        : corrected.extraction;
      const confidence =
        result.route === 'auto' || settled ? extraction.confidence : Math.min(extraction.confidence, UNSURE_CAP);
      return Promise.resolve({ value: extraction, confidence, model });
    },
    provider: {
      messages: buildMessages(event, result.message.text, input.context, learned.corrections),
      jsonSchema: providerAnswerSchema,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      temperature: 0,
      parse: providerParser(event, result, fields, localNotes),
    },
    signal: context.signal,
  });
  const meta = { ...outcome.meta, notes: [...outcome.meta.notes, ...localNotes] };
  if (outcome.status === 'human') {
    const best = outcome.best?.value ?? toPort(result, event, fields, model).extraction;
    // Why a person: what the extractor was unsure of, then why no model could settle it.
    const why = result.route === 'person' ? `${result.reasons.join('; ')}; then ${outcome.reason}` : outcome.reason;
    return { human: humanExtraction(event, why, best), meta };
  }
  const output: ExtractOutput = {
    extraction: { ...outcome.value, tier: outcome.meta.tier, model: outcome.meta.model },
  };
  assertValid(extractDeclaration.output, output, 'extract output', '/output');
  return { output, meta };
};
