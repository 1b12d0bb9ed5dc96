import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { HumanRequest } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { Draft } from '../sdk/ports.ts';
import type { GenerateConfig, GenerateInput, GenerateOutput } from './definition.ts';
import { draftFrame, draftTitle, parseDraft } from './draft.ts';
import { packingNotes } from './pack.ts';
import { assemblePrompt, type AssembledPrompt } from './prompt.ts';

// Long documents need room; a reply or a note does not.
const MAX_OUTPUT_TOKENS: Partial<Record<GenerateConfig['kind'], number>> = { proposal: 2_048, estimate: 2_048 };
const DEFAULT_MAX_OUTPUT_TOKENS = 1_024;

function humanDraft(
  input: GenerateInput,
  config: GenerateConfig,
  prompt: AssembledPrompt,
  reason: string,
  proposed: Draft | undefined,
): HumanRequest {
  const own = config.instructions?.trim();
  const note =
    'No model wrote this draft: write it yourself. The prompt a model would have had and the retrieved records are attached.';
  return {
    kind: 'draft',
    title: draftTitle(config.kind, input.event),
    instructions: own ? `${own}\n\n${note}` : note,
    reason,
    context: {
      prompt: { system: prompt.system, user: prompt.user },
      ...(input.event ? { event: input.event } : {}),
      records: prompt.records,
      ...(prompt.omittedRecords > 0 ? { omittedRecords: prompt.omittedRecords } : {}),
      ...(prompt.packing.records.length > 0 ? { packing: prompt.packing.records } : {}),
      ...(input.extraction ? { extraction: input.extraction } : {}),
      ...(input.data ? { data: input.data } : {}),
      draft: draftFrame(input, config),
    },
    // A proposal is the node's output (its ports), so approving it hands downstream `draft`.
    ...(proposed ? { proposed: { draft: proposed } } : {}),
  };
}

/** Drafts through the model router (cached, then a model); a human writes it when no model can. */
export const runGenerate: RunFn<GenerateConfig, GenerateInput, GenerateOutput> = async (input, config, context) => {
  if (!input.event && !input.context && !input.extraction && !input.data) {
    throw new Error('generate needs at least one input: event, context, extraction or data');
  }
  const prompt = assemblePrompt(input, config);
  const frame = draftFrame(input, config);
  const maxOutputTokens = MAX_OUTPUT_TOKENS[config.kind] ?? DEFAULT_MAX_OUTPUT_TOKENS;
  // The assembled prompt is the template rendered with the inputs: equal prompts get equal drafts.
  // The router adds the model to this key.
  const cacheKey = createHash('sha256')
    .update(canonicalize({ node: 'generate@1', messages: prompt.messages, maxOutputTokens }))
    .digest('hex');

  const result = await context.services.models.call<Draft>({
    nodeType: 'generate',
    policy: config.policy,
    cacheKey,
    provider: { messages: prompt.messages, maxOutputTokens, parse: (text, reply) => parseDraft(text, reply, frame) },
    signal: context.signal,
  });
  // Which records the model saw whole, summarised or not at all goes into the ledger's notes.
  const meta = { ...result.meta, notes: [...packingNotes(prompt.packing), ...result.meta.notes] };
  if (result.status === 'ok') return { output: { draft: result.value }, meta };
  return { human: humanDraft(input, config, prompt, result.reason, result.best?.value), meta };
};
