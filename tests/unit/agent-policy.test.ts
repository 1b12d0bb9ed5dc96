import { describe, expect, it } from 'vitest';
import { budgetStop } from '../../agent/budget.ts';
import { RepeatDetector } from '../../agent/loop-detection.ts';
import { DEFAULT_AGENT_BUDGET, modelToolName, parseToolRef, resolveBudget, toolPolicy } from '../../agent/policy.ts';
import { argumentsDigest, policyVersion } from '../../agent/digest.ts';
import { nodeToolInput, withoutReviewFields } from '../../agent/review-fields.ts';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';

describe('agent tool policies', () => {
  it('asks before side-effecting tools and runs read-only ones, unless the config says otherwise', () => {
    expect(toolPolicy(undefined, true)).toBe('ask');
    expect(toolPolicy(undefined, false)).toBe('auto');
    expect(toolPolicy('deny', false)).toBe('deny');
    expect(toolPolicy('auto', true)).toBe('auto');
  });

  it('reads node and MCP refs, and names tools as the protocol allows, uniquely', () => {
    expect(parseToolRef('node:send-email')).toEqual({ kind: 'node', nodeType: 'send-email' });
    expect(parseToolRef('mcp:srv-1/search/issues')).toEqual({ kind: 'mcp', serverId: 'srv-1', tool: 'search/issues' });
    expect(() => parseToolRef('http://x')).toThrow(/neither node:/);
    const taken = new Set<string>();
    expect(modelToolName({ kind: 'node', nodeType: 'test.echo' }, taken)).toBe('test_echo');
    expect(modelToolName({ kind: 'mcp', serverId: 's', tool: 'test.echo' }, taken)).toBe('test_echo_2');
  });
});

describe('agent budgets', () => {
  it('defaults from the registry entry, and the config may only lower it', () => {
    const registry = { perActionUsd: 0.1, latencyMs: 60_000 };
    expect(resolveBudget(undefined, registry)).toEqual({ ...DEFAULT_AGENT_BUDGET, maxCostUsd: 0.1, maxWallMs: 60_000 });
    expect(resolveBudget({ maxCostUsd: 5, maxSteps: 3 }, registry)).toMatchObject({ maxCostUsd: 0.1, maxSteps: 3 });
    expect(resolveBudget({ maxSteps: 500 }, undefined).maxSteps).toBe(DEFAULT_AGENT_BUDGET.maxSteps);
  });

  it('stops before a call once a budget is spent, saying which', () => {
    const budget = { maxSteps: 2, maxTokens: 100, maxCostUsd: 0.01, maxWallMs: 1_000 };
    const spent = { steps: 0, tokens: 0, costUsd: 0, elapsedMs: 0 };
    expect(budgetStop(budget, spent, true)).toBeUndefined();
    expect(budgetStop(budget, { ...spent, steps: 2 }, true)).toBe('step budget spent: 2 of 2 model calls');
    expect(budgetStop(budget, { ...spent, steps: 2 }, false)).toBeUndefined();
    expect(budgetStop(budget, { ...spent, tokens: 120 }, false)).toMatch(/^token budget spent: 120 of 100/);
    expect(budgetStop(budget, { ...spent, costUsd: 0.02 }, true)).toMatch(/^cost budget spent: \$0.02 of \$0.01/);
    expect(budgetStop(budget, { ...spent, elapsedMs: 1_000 }, true)).toMatch(/^time budget spent/);
  });
});

describe('agent loop detection and digests', () => {
  it('stops at the third identical request, not at different arguments', () => {
    const detector = new RepeatDetector();
    expect(detector.record('echo', 'd1')).toBeUndefined();
    expect(detector.record('echo', 'd2')).toBeUndefined();
    expect(detector.record('echo', 'd1')).toBeUndefined();
    expect(detector.record('echo', 'd1')).toMatch(/^loop detected: echo requested 3 times/);
  });

  it('digests canonical arguments: key order does not matter, values do', () => {
    expect(argumentsDigest({ a: 1, b: [1, 2] })).toBe(argumentsDigest({ b: [1, 2], a: 1 }));
    expect(argumentsDigest({ a: 1 })).not.toBe(argumentsDigest({ a: 2 }));
    expect(policyVersion([{ ref: 'node:x', policy: 'ask' }])).not.toBe(
      policyVersion([{ ref: 'node:x', policy: 'auto' }]),
    );
  });
});

describe('review fields of node tools', () => {
  const sendEmailInput = (createBuiltinRegistry().latest('send-email')!.input ?? {}) as {
    properties: Record<string, unknown>;
    required?: string[];
  };

  it('offers the model a node tool without the fields that carry a person’s approval', () => {
    expect(sendEmailInput.properties).toHaveProperty('decision');
    const offered = withoutReviewFields(sendEmailInput);
    expect(Object.keys(offered.properties)).not.toContain('decision');
    expect(Object.keys(offered.properties)).not.toContain('reviewer');
    expect(offered.required ?? []).not.toContain('decision');
    expect(Object.keys(offered.properties)).toContain('body');
  });

  it('drops an approval the model wrote itself, and sets the one a person gave', () => {
    const forged = { body: { kind: 'reply', text: 'Hi' }, decision: 'approved', reviewer: 'ada' };
    expect(nodeToolInput(forged, undefined)).toEqual({ body: { kind: 'reply', text: 'Hi' } });
    expect(nodeToolInput(forged, { decision: 'edited', reviewer: 'lena' })).toEqual({
      body: { kind: 'reply', text: 'Hi' },
      decision: 'edited',
      reviewer: 'lena',
    });
  });
});
