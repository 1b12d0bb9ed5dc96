import { describe, expect, it } from 'vitest';
import { costUsd, estimateCostUsd, estimatePromptTokens } from '../../models/cost.ts';
import { createModelRouter, ModelConfigError, modelSettingsFromEnv } from '../../models/index.ts';
import { finishReasonConfidence, jsonReplyParser } from '../../models/json-reply.ts';
import { redactor } from '../../models/redact.ts';

const SECRET = 'sk-config-secret-never-shown-42';

describe('modelSettingsFromEnv', () => {
  it('configures no provider when TRELLIS_LLM_BASE_URL is unset', () => {
    expect(modelSettingsFromEnv({})).toEqual({ provider: undefined, local: undefined });
    expect(createModelRouter({ env: {} }).providerConfigured).toBe(false);
    expect(
      createModelRouter({
        env: { TRELLIS_LOCAL_LLM_BASE_URL: 'http://127.0.0.1:1/v1', TRELLIS_LOCAL_LLM_MODEL: 'small' },
      }).providerConfigured,
    ).toBe(false);
  });

  it('reads the provider, its key and its prices', () => {
    const settings = modelSettingsFromEnv({
      TRELLIS_LLM_BASE_URL: 'https://api.example.test/v1',
      TRELLIS_LLM_MODEL: 'large-1',
      TRELLIS_LLM_API_KEY: SECRET,
      TRELLIS_LLM_PRICE_INPUT_PER_MTOK: '2.5',
      TRELLIS_LLM_PRICE_OUTPUT_PER_MTOK: '10',
      TRELLIS_LOCAL_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      TRELLIS_LOCAL_LLM_MODEL: 'qwen2.5:0.5b',
    });
    expect(settings.provider).toEqual({
      baseUrl: 'https://api.example.test/v1',
      model: 'large-1',
      apiKey: SECRET,
      prices: { inputPerMTok: 2.5, outputPerMTok: 10 },
    });
    expect(settings.local).toMatchObject({
      model: 'qwen2.5:0.5b',
      apiKey: undefined,
      prices: { inputPerMTok: 0, outputPerMTok: 0 },
    });
    expect(
      createModelRouter({ env: { TRELLIS_LLM_BASE_URL: 'http://127.0.0.1:1/v1', TRELLIS_LLM_MODEL: 'm' } })
        .providerConfigured,
    ).toBe(true);
  });

  it('refuses unusable settings naming the variable, never its value', () => {
    const cases: Record<string, string>[] = [
      { TRELLIS_LLM_BASE_URL: 'http://127.0.0.1:1/v1', TRELLIS_LLM_API_KEY: SECRET },
      { TRELLIS_LLM_BASE_URL: SECRET, TRELLIS_LLM_MODEL: 'm' },
      {
        TRELLIS_LLM_BASE_URL: 'http://127.0.0.1:1/v1',
        TRELLIS_LLM_MODEL: 'm',
        TRELLIS_LLM_PRICE_INPUT_PER_MTOK: `-${SECRET}`,
      },
    ];
    const messages = cases.map((env) => {
      try {
        modelSettingsFromEnv(env);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ModelConfigError);
        return (error as Error).message;
      }
    });
    expect(messages[0]).toContain('TRELLIS_LLM_MODEL is not');
    expect(messages[1]).toBe('TRELLIS_LLM_BASE_URL is not a URL');
    expect(messages[2]).toContain('TRELLIS_LLM_PRICE_INPUT_PER_MTOK must be a number');
    for (const message of messages) expect(message).not.toContain(SECRET);
  });
});

describe('cost estimates', () => {
  it('prices tokens in USD per million', () => {
    expect(
      costUsd({ promptTokens: 1_000, completionTokens: 500 }, { inputPerMTok: 2.5, outputPerMTok: 10 }),
    ).toBeCloseTo(0.0075, 10);
  });

  it('bounds a call by its prompt length and its token limit', () => {
    const messages = [{ role: 'user' as const, content: 'x'.repeat(4_000) }];
    expect(estimatePromptTokens(messages)).toBe(1_004);
    // 1,004 prompt tokens at $2.5/M plus 1,000 reply tokens at $10/M.
    expect(estimateCostUsd(messages, undefined, 1_000, { inputPerMTok: 2.5, outputPerMTok: 10 })).toBeCloseTo(
      0.01251,
      8,
    );
  });
});

describe('jsonReplyParser', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['label'],
    properties: { label: { enum: ['lead', 'spam'] } },
  } as const;
  const parse = jsonReplyParser<{ label: 'lead' | 'spam' }>(schema);
  const info = { finishReason: 'stop', model: 'm', tier: 'provider' as const };

  it('parses fenced JSON that fits the schema and scores it by finish reason', () => {
    expect(parse('```json\n{"label":"lead"}\n```', info)).toEqual({ value: { label: 'lead' }, confidence: 0.9 });
    expect(parse('{"label":"spam"}', { ...info, finishReason: 'length' }).confidence).toBe(0.4);
  });

  it('throws, naming the problem, on text that is not JSON or does not fit', () => {
    expect(() => parse('Sure! Here it is: {label: lead}', info)).toThrow(/not JSON/);
    expect(() => parse('{"label":"customer"}', info)).toThrow(/reply is invalid: \/label/);
  });

  it('maps finish reasons to confidence', () => {
    expect([null, 'stop', 'length', 'content_filter', 'tool_calls'].map(finishReasonConfidence)).toEqual([
      0.7, 0.9, 0.4, 0.1, 0.7,
    ]);
  });
});

describe('redactor', () => {
  it('replaces every occurrence of each secret, longest first', () => {
    const redact = redactor([SECRET, `${SECRET}-longer`, undefined, 'abc']);
    expect(redact(`a ${SECRET}-longer b ${SECRET} abc`)).toBe('a [redacted] b [redacted] abc');
  });
});
