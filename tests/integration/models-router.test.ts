import { inspect } from 'node:util';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createModelRouter, jsonReplyParser, NO_PROVIDER } from '../../models/index.ts';
import { finishReasonConfidence } from '../../models/json-reply.ts';
import type { ModelPolicy } from '../../schemas/model-policy.ts';
import type { ModelRequest, ModelResult, ReplyInfo } from '../../models/types.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { chatCompletion, errorReply, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';

const API_KEY = 'sk-router-test-9f8e7d6c5b4a-never-shown';
const LOCAL_KEY = 'local-server-key-1234567';
const SLACK_MS = 400;
const policy: ModelPolicy = { maxCostUsd: 0.05, maxLatencyMs: 5_000, minConfidence: 0.7 };

const labelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['label'],
  properties: { label: { enum: ['lead', 'billing', 'spam'] } },
} as const;
type Label = { label: 'lead' | 'billing' | 'spam' };

function labelRequest(overrides: Partial<ModelRequest<Label>> = {}): ModelRequest<Label> {
  return {
    nodeType: 'router-test',
    policy,
    cacheKey: randomUUID(),
    provider: {
      messages: [
        { role: 'system', content: 'Label the email.' },
        { role: 'user', content: 'Hi, we would like a quote for a new website.' },
      ],
      jsonSchema: labelSchema,
      maxOutputTokens: 50,
      parse: jsonReplyParser<Label>(labelSchema),
    },
    ...overrides,
  };
}

const textParse = (text: string, info: ReplyInfo) => ({
  value: text,
  confidence: finishReasonConfidence(info.finishReason),
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('TieredModelRouter', () => {
  const { postgres } = inject('services');
  let db: Db;
  let provider: OpenAIStub;
  let localServer: OpenAIStub;
  const results: unknown[] = [];

  const env = () => ({
    TRELLIS_LLM_BASE_URL: provider.baseUrl,
    TRELLIS_LLM_MODEL: 'stub-large',
    TRELLIS_LLM_API_KEY: API_KEY,
    TRELLIS_LLM_PRICE_INPUT_PER_MTOK: '2.5',
    TRELLIS_LLM_PRICE_OUTPUT_PER_MTOK: '10',
  });
  const withLocal = () => ({
    ...env(),
    TRELLIS_LOCAL_LLM_BASE_URL: localServer.baseUrl,
    TRELLIS_LOCAL_LLM_MODEL: 'stub-small',
    TRELLIS_LOCAL_LLM_API_KEY: LOCAL_KEY,
  });
  /** Every result is kept, to check afterwards that no key appears in any of them. */
  const remember = <T>(result: ModelResult<T>) => {
    results.push(result);
    return result;
  };

  beforeAll(async () => {
    db = connectDb(postgres);
    provider = await startOpenAIStub();
    localServer = await startOpenAIStub();
  });
  afterAll(async () => {
    await provider.close();
    await localServer.close();
    await db.close();
  });
  beforeEach(() => {
    provider.reset();
    localServer.reset();
  });

  it('answers from the provider and records tokens, cost, model and latency', async () => {
    provider.enqueue(
      chatCompletion('{"label":"lead"}', { promptTokens: 100, completionTokens: 20, model: 'stub-large-0613' }),
    );
    const router = createModelRouter({ db, env: env() });
    const request = labelRequest();
    const result = remember(await router.call(request));

    expect(result).toMatchObject({ status: 'ok', value: { label: 'lead' } });
    expect(result.meta).toMatchObject({ tier: 'provider', model: 'stub-large-0613', tokens: 120, confidence: 0.9 });
    // 100 prompt tokens at $2.5/M + 20 reply tokens at $10/M.
    expect(result.meta.costUsd).toBeCloseTo(0.00045, 12);
    expect(result.meta.latencyMs).toBeGreaterThanOrEqual(0);
    expect(provider.requests[0]?.body.response_format?.type).toBe('json_schema');
    const { rows } = await db.query<{ tokens: number; cost_usd: number; model: string; node_type: string }>(
      'select tokens, cost_usd, model, node_type from model_cache where node_type = $1 and output->>$2 = $3',
      ['router-test', 'text', '{"label":"lead"}'],
    );
    expect(rows[0]).toMatchObject({ tokens: 120, model: 'stub-large-0613', node_type: 'router-test' });
    expect(rows[0]?.cost_usd).toBeCloseTo(0.00045, 12);
  });

  it('answers the second identical call from model_cache without calling the provider', async () => {
    provider.enqueue(chatCompletion('{"label":"billing"}', { promptTokens: 80, completionTokens: 6 }));
    const router = createModelRouter({ db, env: env() });
    const request = labelRequest();
    const first = remember(await router.call(request));
    const second = remember(await router.call(request));

    expect(first.meta.tier).toBe('provider');
    expect(second).toMatchObject({ status: 'ok', value: { label: 'billing' } });
    expect(second.meta).toMatchObject({ tier: 'cached', model: 'stub-model', tokens: 0, costUsd: 0, confidence: 0.9 });
    expect(second.meta.notes.join('\n')).toContain('cached: reused the reply of stub-model (saved 86 tokens');
    expect(provider.requests).toHaveLength(1);
    const { rows } = await db.query<{ hits: number }>("select hits from model_cache where output->>'text' = $1", [
      '{"label":"billing"}',
    ]);
    expect(rows.map((row) => row.hits)).toEqual([1]);

    // Another model is another key: the cache never serves one model's reply as another's.
    const otherModel = createModelRouter({ db, env: { ...env(), TRELLIS_LLM_MODEL: 'stub-other' } });
    remember(await otherModel.call(request));
    expect(provider.requests).toHaveLength(2);
  });

  it('goes to a human with a note, and still bills the tokens, when the reply is malformed', async () => {
    provider.enqueue(chatCompletion('Sure! The label is: lead', { promptTokens: 90, completionTokens: 10 }));
    const router = createModelRouter({ db, env: env() });
    const result = remember(await router.call(labelRequest()));

    expect(result.status).toBe('human');
    expect(result.meta).toMatchObject({ tier: 'human', tokens: 100, confidence: 0 });
    expect(result.meta.costUsd).toBeCloseTo((90 * 2.5 + 10 * 10) / 1e6, 12);
    expect(result.meta.notes.at(-1)).toMatch(/^provider: malformed reply from stub-model: not JSON/);
    if (result.status === 'human') expect(result.reason).toBe(result.meta.notes.at(-1));
  });

  it('degrades from a malformed local model reply to the provider', async () => {
    localServer.enqueue(chatCompletion('{"label":"customer"}'));
    provider.enqueue(chatCompletion('{"label":"spam"}', { model: 'stub-large' }));
    const router = createModelRouter({ db, env: withLocal() });
    const result = remember(await router.call(labelRequest()));

    expect(result).toMatchObject({
      status: 'ok',
      value: { label: 'spam' },
      meta: { tier: 'provider', model: 'stub-large' },
    });
    expect(result.meta.notes[1]).toMatch(/^local: malformed reply from stub-model: reply is invalid: \/label/);
    expect(localServer.requests[0]?.headers.authorization).toBe(`Bearer ${LOCAL_KEY}`);
  });

  it('answers from the local model server when it is confident, and caches it under its model', async () => {
    localServer.enqueue(chatCompletion('{"label":"lead"}', { model: 'stub-small' }));
    const router = createModelRouter({ db, env: withLocal() });
    const request = labelRequest();
    const result = remember(await router.call(request));
    expect(result.meta).toMatchObject({ tier: 'local', model: 'stub-small', costUsd: 0 });
    expect(provider.requests).toHaveLength(0);
    expect(remember(await router.call(request)).meta).toMatchObject({ tier: 'cached', model: 'stub-small' });
  });

  it('returns within the latency budget when the provider never answers', async () => {
    provider.enqueue({ hang: true }, { hang: true }, { hang: true });
    const router = createModelRouter({ db, env: env() });
    const budget = { ...policy, maxLatencyMs: 700 };
    const local = () => Promise.resolve({ value: { label: 'lead' as const }, confidence: 0.5, model: 'rules' });
    const { result, ms } = await timed(() => router.call(labelRequest({ policy: budget, local })));
    remember(result);

    expect(ms).toBeLessThan(700 + SLACK_MS);
    expect(result.status).toBe('human');
    expect(result.meta.notes).toEqual([
      'cached: miss',
      'local: confidence 0.50 from rules is below minConfidence 0.7',
      expect.stringMatching(/^provider: stub-large timed out after \d+ ms$/),
    ]);
    // The best attempt is offered to the human.
    if (result.status === 'human') expect(result.best).toEqual({ value: { label: 'lead' }, confidence: 0.5 });
    expect(result.meta).toMatchObject({ tier: 'human', model: 'rules', confidence: 0.5 });
  });

  it('leaves the provider half the budget when the local model server hangs', async () => {
    localServer.enqueue({ hang: true }, { hang: true }, { hang: true });
    provider.enqueue(chatCompletion('{"label":"billing"}'));
    const router = createModelRouter({ db, env: withLocal() });
    const { result, ms } = await timed(() => router.call(labelRequest({ policy: { ...policy, maxLatencyMs: 1_000 } })));
    remember(result);

    expect(result).toMatchObject({ status: 'ok', meta: { tier: 'provider' } });
    expect(result.meta.notes[1]).toMatch(/^local: stub-small timed out after 4\d\d ms$/);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(1_000 + SLACK_MS);
  });

  it('retries a 500 and then succeeds', async () => {
    provider.enqueue(errorReply(500, 'internal error'), chatCompletion('{"label":"lead"}'));
    const router = createModelRouter({ db, env: env() });
    const result = remember(await router.call(labelRequest()));
    expect(result).toMatchObject({ status: 'ok', value: { label: 'lead' }, meta: { tier: 'provider' } });
    expect(provider.requests).toHaveLength(2);
  });

  it('gives up with a note after retries when the provider keeps failing', async () => {
    provider.onChat(() => errorReply(503, 'maintenance'));
    const router = createModelRouter({ db, env: env() });
    const result = remember(await router.call(labelRequest({ policy: { ...policy, maxLatencyMs: 3_000 } })));
    expect(result.status).toBe('human');
    expect(result.meta.notes.at(-1)).toMatch(/^provider: stub-large failed after \d attempts: HTTP 503: .*maintenance/);
    expect(result.meta.tokens).toBe(0);
  });

  it('skips a provider whose estimated cost exceeds maxCostUsd and says so', async () => {
    const router = createModelRouter({ db, env: env() });
    const request = labelRequest({ policy: { ...policy, maxCostUsd: 0.0001 } });
    request.provider!.messages.push({ role: 'user', content: 'Background: '.repeat(500) });
    const result = remember(await router.call(request));

    expect(result.status).toBe('human');
    expect(provider.requests).toHaveLength(0);
    expect(result.meta.notes.at(-1)).toMatch(
      /^provider: skipped stub-large, estimated cost \$0\.00\d+ exceeds maxCostUsd \$0\.0001$/,
    );
    expect(result.meta).toMatchObject({ tokens: 0, costUsd: 0 });
  });

  it('degrades a confident-enough local answer no further, and a weak one to the provider', async () => {
    const router = createModelRouter({ db, env: env() });
    const strong = remember(
      await router.call(
        labelRequest({
          local: () => Promise.resolve({ value: { label: 'spam' as const }, confidence: 0.95, model: 'rules' }),
        }),
      ),
    );
    expect(strong.meta).toMatchObject({ tier: 'local', model: 'rules', tokens: 0 });
    expect(provider.requests).toHaveLength(0);

    provider.enqueue(chatCompletion('{"label":"lead"}', { finishReason: 'length' }));
    const weak = remember(
      await router.call(
        labelRequest({
          local: () => Promise.resolve({ value: { label: 'spam' as const }, confidence: 0.6, model: 'rules' }),
        }),
      ),
    );
    // Both are below 0.7: the human gets the better of the two.
    expect(weak.status).toBe('human');
    if (weak.status === 'human') expect(weak.best).toEqual({ value: { label: 'spam' }, confidence: 0.6 });
    expect(weak.meta.notes.at(-1)).toBe('provider: confidence 0.40 from stub-model is below minConfidence 0.7');
  });

  it('hands the work to a human when no provider is configured', async () => {
    const router = createModelRouter({ db, env: {} });
    expect(router.providerConfigured).toBe(false);
    const result = remember(await router.call(labelRequest()));
    expect(result).toMatchObject({
      status: 'human',
      reason: NO_PROVIDER,
      meta: { tier: 'human', model: 'none', tokens: 0 },
    });
  });

  it('keeps to the tiers the policy allows', async () => {
    const router = createModelRouter({ db, env: env() });
    const result = remember(await router.call(labelRequest({ policy: { ...policy, tiers: ['cached', 'local'] } })));
    expect(result.status).toBe('human');
    expect(result.meta.notes).toEqual(['cached: miss', 'provider: not allowed by the policy']);
    expect(provider.requests).toHaveLength(0);
  });

  it('rethrows a cancellation instead of turning it into a human task', async () => {
    provider.enqueue({ hang: true });
    const router = createModelRouter({ db, env: env() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    await expect(router.call(labelRequest({ signal: controller.signal }))).rejects.toThrow('activity cancelled');
  });

  it('never lets the API key into a result, a note or a reason, even when the server echoes it', async () => {
    const echo = (request: { headers: Record<string, unknown> }) =>
      `Your key: ${String(request.headers.authorization)}`;
    const textRequest = (overrides: Partial<ModelRequest<string>> = {}): ModelRequest<string> => ({
      nodeType: 'router-test',
      policy,
      cacheKey: randomUUID(),
      provider: { messages: [{ role: 'user', content: 'hi' }], parse: textParse },
      ...overrides,
    });
    provider.enqueue((request) => chatCompletion(echo(request)));
    provider.enqueue((request) => errorReply(401, `invalid key ${String(request.headers.authorization)}`));
    provider.enqueue((request) => chatCompletion(`{"label": "${echo(request)}"}`));
    localServer.enqueue((request) => chatCompletion(echo(request)));
    const router = createModelRouter({ db, env: env() });
    const echoed = remember(await router.call(textRequest()));
    const refused = remember(await router.call(textRequest()));
    const invalid = remember(await router.call(labelRequest()));
    const local = remember(
      await createModelRouter({ db, env: withLocal() }).call(textRequest({ policy: { ...policy, tiers: ['local'] } })),
    );

    expect(echoed).toMatchObject({ status: 'ok', value: 'Your key: Bearer [redacted]' });
    expect(refused.meta.notes.at(-1)).toContain('HTTP 401: {"error":{"message":"invalid key Bearer [redacted]"');
    expect(invalid.status).toBe('human');
    expect(local).toMatchObject({ status: 'ok', value: 'Your key: Bearer [redacted]', meta: { tier: 'local' } });
    const everything = JSON.stringify(results);
    expect(results.length).toBeGreaterThan(15);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(LOCAL_KEY);
    // Nor in the router itself, however it is printed or serialised.
    const printed = [inspect(router, { depth: 10, showHidden: true }), JSON.stringify(router)].join('\n');
    expect(printed).not.toContain(API_KEY);
  });
});
