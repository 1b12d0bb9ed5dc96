import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { assertValid } from '../../schemas/ajv.ts';
import type { HumanRequest } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { EventValue, Extraction } from '../sdk/ports.ts';
import {
  defaultExtractPolicy,
  extractDeclaration,
  type ExtractConfig,
  type ExtractInput,
  type ExtractOutput,
} from './definition.ts';
import { applyCorrections } from './corrections.ts';
import { findCorrections, type Learned } from './learned.ts';
import { extractLocally, localModel, type LocalOptions } from './local/extract-local.ts';
import { buildMessages, providerAnswerSchema, providerParser } from './prompt.ts';

/** Room for every item of a long email in JSON. */
const MAX_OUTPUT_TOKENS = 2_048;

function humanExtraction(event: EventValue, reason: string, proposed: Extraction | undefined): HumanRequest {
  const subject = event.payload.subject?.trim();
  return {
    kind: 'extraction',
    title: subject ? `Check what "${subject.slice(0, 80)}" asks for` : `Check what ${event.type} ${event.id} asks for`,
    instructions:
      "Confirm or correct the intent, the action items (owner, due date), dates and amounts, then approve. The machine's best attempt is filled in.",
    reason,
    context: { event },
    // A proposal is the node's output (its ports), so approving it hands downstream `extraction`.
    ...(proposed ? { proposed: { extraction: { ...proposed, tier: 'human' as const } } } : {}),
  };
}

/** Same event, same request: same cache entry. The router adds the model to the key. */
function cacheKeyOf(input: ExtractInput, options: LocalOptions, learned: Learned): string {
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
        options,
        context: context?.fingerprint ?? null,
        ...(corrections.length > 0 ? { corrections } : {}),
      }),
    )
    .digest('hex');
}

/** Local tier, then the provider; a human when neither is confident enough. Never a silent guess. */
export const runExtract: RunFn<ExtractConfig, ExtractInput, ExtractOutput> = async (input, config, context) => {
  // The interpreter validates too; this node may also be called directly (tests, tools).
  assertValid(extractDeclaration.input, input, 'extract input', '/input');
  assertValid(extractDeclaration.config, config, 'extract config', '/config');
  const { event } = input;
  const policy = config.policy ?? defaultExtractPolicy;
  if (event.status === 'rejected') {
    return {
      human: humanExtraction(
        event,
        `the event was rejected at ingest: ${event.rejection?.reason ?? 'invalid'}`,
        undefined,
      ),
    };
  }
  const options: LocalOptions = {
    fields: config.fields ?? [],
    referenceDate: config.referenceDate ?? 'occurredAt',
    dateOrder: config.dateOrder ?? 'auto',
  };
  const learned: Learned =
    config.learnFromCorrections === false
      ? { corrections: [], notes: [] }
      : await findCorrections(context.services, event);
  const localNotes: string[] = [...learned.notes];
  const result = await context.services.models.call<Extraction>({
    nodeType: 'extract',
    policy,
    cacheKey: cacheKeyOf(input, options, learned),
    local: () => {
      const local = extractLocally(event, options);
      const { extraction, notes } = applyCorrections(local.extraction, event, learned.corrections);
      localNotes.push(...local.notes, ...notes);
      return Promise.resolve({ value: extraction, confidence: extraction.confidence, model: localModel });
    },
    provider: {
      messages: buildMessages(event, input.context, options.fields ?? [], learned.corrections),
      jsonSchema: providerAnswerSchema,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      temperature: 0,
      parse: providerParser(event),
    },
    signal: context.signal,
  });
  const meta = { ...result.meta, notes: [...result.meta.notes, ...localNotes] };
  if (result.status === 'human') return { human: humanExtraction(event, result.reason, result.best?.value), meta };
  // The router accepts at minConfidence; a router that did not is still not trusted here.
  if (result.value.confidence < policy.minConfidence) {
    const reason = `confidence ${result.value.confidence.toFixed(2)} < ${policy.minConfidence} (intent ${result.value.intent.label} ${result.value.intent.confidence.toFixed(2)})`;
    return { human: humanExtraction(event, reason, result.value), meta };
  }
  const output: ExtractOutput = { extraction: { ...result.value, tier: result.meta.tier, model: result.meta.model } };
  assertValid(extractDeclaration.output, output, 'extract output', '/output');
  return { output, meta };
};
