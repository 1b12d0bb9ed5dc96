import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Embedder, MemoryStore } from '../../memory/types.ts';
import { createModelRouter } from '../../models/index.ts';
import type { ModelRouter } from '../../models/types.ts';
import { runGenerate } from '../../nodes/generate/activity.ts';
import {
  generateDeclaration,
  type GenerateConfig,
  type GenerateInput,
  type GenerateOutput,
} from '../../nodes/generate/definition.ts';
import { generateNode } from '../../nodes/generate/index.ts';
import type { NodeContext, NodeOutcome } from '../../nodes/sdk/context.ts';
import { draftPort, type EventValue, type Retrieval } from '../../nodes/sdk/ports.ts';
import { checkDefinition } from '../../nodes/sdk/registry.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';

const API_KEY = 'sk-generate-test-key-abcdef123456';

const event: EventValue = {
  id: 'evt-generate-1',
  type: 'email.received',
  status: 'accepted',
  actor: { kind: 'person', name: 'Ada Lovelace', address: 'ada@analytical.example' },
  source: { kind: 'email', uri: 'mailto:ada@analytical.example?id=msg-1', version: '1' },
  occurredAt: '2025-05-01T09:00:00.000Z',
  receivedAt: '2025-05-01T09:00:05.000Z',
  confidence: 1,
  payload: {
    subject: 'Website redesign',
    text: "Hi! Could O'Brien & Co get a quote for a new website by June? <Budget is flexible.>",
  },
  metadata: {},
};

function memory(id: string, text: string, score: number): Retrieval['records'][number] {
  return {
    score,
    record: {
      id,
      text,
      kind: 'fact',
      clientId: 'client-obrien',
      source: { uri: `doc://notes/${id}`, version: '3' },
      confidence: 0.95,
      createdAt: '2025-04-01T10:00:00.000Z',
      provenance: { workflowId: 'run-0', nodeId: 'remember' },
      embeddingModel: 'use-lite-512',
    },
  };
}

const retrieval: Retrieval = {
  query: 'website quote',
  fingerprint: 'f'.repeat(64),
  indexVersion: 'v1',
  ids: ['m1', 'm2'],
  records: [
    memory('m1', 'Day rate for O’Brien & Co is 650 EUR, agreed in March.', 0.9),
    memory('m2', 'Their last site was built on WordPress in 2019.', 0.7),
  ],
};

const config: GenerateConfig = {
  kind: 'reply',
  template: 'Reply to {{event.actor.name}}.\n\nTheir message:\n{{event.payload.text}}',
  instructions: 'Warm, under 120 words, offer a call.',
  policy: { maxCostUsd: 0.05, maxLatencyMs: 5_000, minConfidence: 0.7 },
};

/** Services generate does not use: any touch fails the test. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`generate must not use ${name}.${String(property)}`);
    },
  });
}

function contextFor(db: Db, models: ModelRouter): NodeContext {
  return {
    workflowId: 'wf-generate-test',
    runId: 'run-generate-test',
    nodeId: 'draft-reply',
    attempt: 1,
    idempotencyKey: 'wf-generate-test/draft-reply',
    services: {
      db,
      models,
      memory: unused<MemoryStore>('memory'),
      embedder: unused<Embedder>('embedder'),
      now: () => new Date('2025-05-01T09:01:00.000Z'),
    },
    signal: new AbortController().signal,
    heartbeat: () => {},
    log: () => {},
  };
}

/** Runs the node as the activity boundary does: input and config validated first. */
async function generate(
  input: GenerateInput,
  cfg: GenerateConfig,
  ctx: NodeContext,
): Promise<NodeOutcome<GenerateOutput>> {
  expect(validatorFor(generateDeclaration.config)(cfg)).toBe(true);
  expect(validatorFor(generateDeclaration.input)(input)).toBe(true);
  return runGenerate(input, cfg, ctx);
}

describe('generate node', () => {
  const { postgres } = inject('services');
  let db: Db;
  let stub: OpenAIStub;
  let withProvider: NodeContext;

  beforeAll(async () => {
    db = connectDb(postgres);
    stub = await startOpenAIStub();
    const env = {
      TRELLIS_LLM_BASE_URL: stub.baseUrl,
      TRELLIS_LLM_MODEL: 'stub-writer',
      TRELLIS_LLM_API_KEY: API_KEY,
      TRELLIS_LLM_PRICE_INPUT_PER_MTOK: '3',
      TRELLIS_LLM_PRICE_OUTPUT_PER_MTOK: '15',
    };
    withProvider = contextFor(db, createModelRouter({ db, env }));
  });
  afterAll(async () => {
    await stub.close();
    await db.close();
  });
  beforeEach(() => stub.reset());

  it('registers: its schemas are valid and its example round-trips', () => {
    expect(checkDefinition(generateNode)).toEqual([]);
    expect(generateNode).toMatchObject({
      type: 'generate',
      version: 1,
      category: 'ai',
      execution: { kind: 'activity' },
    });
  });

  it('asks a human to write the draft, with the assembled context, when no provider is configured', async () => {
    const ctx = contextFor(db, createModelRouter({ db, env: {} }));
    const outcome = await generate({ event, context: retrieval }, config, ctx);

    if (!('human' in outcome)) throw new Error(`expected a human request, got ${JSON.stringify(outcome)}`);
    const { human } = outcome;
    expect(human).toMatchObject({
      kind: 'draft',
      title: 'Write a reply to Ada Lovelace: Website redesign',
      reason: 'no LLM provider configured',
      context: {
        event,
        records: retrieval.records,
        draft: { kind: 'reply', subject: 'Re: Website redesign', to: 'ada@analytical.example', format: 'plain' },
      },
    });
    expect(human.instructions).toMatch(/^Warm, under 120 words, offer a call\.\n\nNo model wrote this draft/);
    expect(human.proposed).toBeUndefined();
    const prompt = human.context.prompt as { system: string; user: string };
    // Rendered without HTML escaping, the records appended with their sources.
    expect(prompt.user).toContain("Could O'Brien & Co get a quote for a new website by June? <Budget is flexible.>");
    expect(prompt.user).toContain('[1] Day rate for O’Brien & Co is 650 EUR, agreed in March.');
    expect(prompt.user).toContain('(fact from doc://notes/m2@3, confidence 0.95)');
    expect(prompt.system).toContain('Instructions: Warm, under 120 words, offer a call.');
    expect(outcome.meta).toMatchObject({ tier: 'human', tokens: 0, costUsd: 0 });
    expect(stub.requests).toHaveLength(0);
  });

  it('drafts through the provider a reply that fits the draft port, with tokens and cost', async () => {
    const text =
      'Hi Ada,\n\nThanks for reaching out. At our agreed day rate of 650 EUR, a June launch is possible. Shall we talk on Thursday?\n\nBest,\nSam';
    stub.enqueue(chatCompletion(text, { promptTokens: 300, completionTokens: 40, model: 'stub-writer' }));
    const outcome = await generate({ event, context: retrieval }, config, withProvider);

    if (!('output' in outcome)) throw new Error(`expected a draft, got ${JSON.stringify(outcome)}`);
    expect(validatorFor(draftPort)(outcome.output.draft)).toBe(true);
    expect(validatorFor(generateDeclaration.output)(outcome.output)).toBe(true);
    expect(outcome.output.draft).toEqual({
      kind: 'reply',
      subject: 'Re: Website redesign',
      to: 'ada@analytical.example',
      format: 'plain',
      text,
    });
    expect(outcome.meta).toMatchObject({ tier: 'provider', model: 'stub-writer', tokens: 340, confidence: 0.9 });
    expect(outcome.meta?.costUsd).toBeCloseTo((300 * 3 + 40 * 15) / 1e6, 12);
    const sent = stub.requests[0]?.body.messages ?? [];
    expect(sent.map((message) => message.role)).toEqual(['system', 'user']);
    expect(sent[1]?.content).toContain('Reply to Ada Lovelace.');
    expect(sent[1]?.content).toContain('Records from memory');
    expect(stub.requests[0]?.body.max_tokens).toBe(1_024);
  });

  it('answers the second identical call from the cache', async () => {
    const input: GenerateInput = { event, data: { project: 'cache-check' } };
    const cfg: GenerateConfig = { ...config, template: 'Reply to {{event.actor.name}} about {{data.project}}.' };
    stub.enqueue(
      chatCompletion('Hi Ada, happy to help with the project.', { promptTokens: 120, completionTokens: 12 }),
    );
    const first = await generate(input, cfg, withProvider);
    const second = await generate(input, cfg, withProvider);

    expect(first.meta?.tier).toBe('provider');
    expect(second.meta).toMatchObject({ tier: 'cached', tokens: 0, costUsd: 0 });
    expect(stub.requests).toHaveLength(1);
    if (!('output' in first) || !('output' in second)) throw new Error('expected two drafts');
    expect(second.output).toEqual(first.output);
  });

  it('offers a cut-off draft to a human as a proposal instead of sending it on', async () => {
    stub.enqueue(
      chatCompletion('Hi Ada, thanks for your message. About the budget, we usually', { finishReason: 'length' }),
    );
    const outcome = await generate({ event, data: { attempt: 'truncated' } }, config, withProvider);

    if (!('human' in outcome)) throw new Error('expected a human request');
    expect(outcome.human.reason).toBe('provider: confidence 0.40 from stub-model is below minConfidence 0.7');
    const proposed = (outcome.human.proposed as { draft: unknown }).draft;
    expect(proposed).toMatchObject({ kind: 'reply', text: expect.stringContaining('we usually') });
    expect(validatorFor(draftPort)(proposed)).toBe(true);
  });

  it('treats an empty reply as malformed and asks a human', async () => {
    stub.enqueue(chatCompletion('   '));
    const outcome = await generate({ data: { topic: 'empty-reply' } }, { ...config, kind: 'free' }, withProvider);
    if (!('human' in outcome)) throw new Error('expected a human request');
    expect(outcome.human.reason).toBe('provider: malformed reply from stub-model: the model returned an empty draft');
    expect(outcome.human.title).toBe('Write a draft');
  });

  it('keeps retrieved context within maxContextChars and does not repeat it when the template places it', async () => {
    const many: Retrieval = {
      ...retrieval,
      records: Array.from({ length: 6 }, (_, i) => memory(`n${i}`, `Note ${i}: ${'detail '.repeat(60)}`, 1 - i / 10)),
    };
    const cfg: GenerateConfig = {
      ...config,
      kind: 'status-update',
      template: 'Status for the client.\n\nWhat we know:\n{{contextText}}',
      maxContextChars: 1_000,
    };
    const ctx = contextFor(db, createModelRouter({ db, env: {} }));
    const outcome = await generate({ context: many }, cfg, ctx);

    if (!('human' in outcome)) throw new Error('expected a human request');
    const prompt = outcome.human.context.prompt as { user: string };
    const records = outcome.human.context.records as unknown[];
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(6);
    expect(outcome.human.context.omittedRecords).toBe(6 - records.length);
    expect(prompt.user).not.toContain('Records from memory');
    expect(prompt.user.length).toBeLessThan(1_000 + 100);
  });

  it('refuses to run with no input at all', async () => {
    await expect(runGenerate({}, config, withProvider)).rejects.toThrow(/at least one input/);
  });
});
