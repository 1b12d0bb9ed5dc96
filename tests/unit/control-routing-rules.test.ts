import { describe, expect, it } from 'vitest';
import { evaluateRules, type RoutingFacts } from '../../control/router/evaluate.ts';
import { mapInput } from '../../control/router/input-mapping.ts';
import { planStart } from '../../control/policy/run-policy.ts';
import { insideWindow, nextOpening } from '../../control/policy/window.ts';
import type { RuleSetBody } from '../../control/schemas/routing.ts';
import { ruleSetSchema } from '../../control/schemas/routing.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import type { Event } from '../../schemas/event.ts';

const rules: RuleSetBody = {
  rules: [
    {
      id: 'northwind-billing',
      intent: 'billing',
      clientId: 'northwind',
      minConfidence: 0.3,
      workflowId: 'wf-orders',
      version: 2,
    },
    { id: 'billing', intent: 'billing', minConfidence: 0.7, workflowId: 'wf-billing', version: 1 },
    {
      id: 'leads-by-mail',
      intent: 'lead',
      sourceKind: 'email',
      minConfidence: 0.6,
      workflowId: 'wf-leads',
      version: 3,
    },
  ],
  default: { triage: true },
};

const facts = (intent: string, confidence: number, extra: Partial<RoutingFacts> = {}): RoutingFacts => ({
  intent,
  confidence,
  sourceKind: 'email',
  ...extra,
});

describe('routing rules', () => {
  it('validate against the rule set schema with its $id', () => {
    expect(ruleSetSchema.$id).toMatch(/routing-rule-set\.json$/);
    expect(validatorFor(ruleSetSchema)(rules)).toBe(true);
    expect(
      validatorFor(ruleSetSchema)({
        rules: [{ id: 'x', minConfidence: 2, workflowId: 'w', version: 1 }],
        default: { triage: true },
      }),
    ).toBe(false);
  });

  it.each([
    ['an invoice at 0.86', facts('billing', 0.86), { outcome: 'run', ruleId: 'billing', workflowId: 'wf-billing' }],
    [
      'a Northwind order sheet at 0.3',
      facts('billing', 0.3, { clientId: 'northwind' }),
      { outcome: 'run', ruleId: 'northwind-billing', workflowId: 'wf-orders' },
    ],
    ['a lead by email', facts('lead', 0.91), { outcome: 'run', ruleId: 'leads-by-mail', workflowId: 'wf-leads' }],
    ['a billing mail below the rule', facts('billing', 0.5), { outcome: 'triage', ruleId: 'billing' }],
    ['a lead from a form (no rule)', facts('lead', 0.95, { sourceKind: 'form' }), { outcome: 'triage' }],
    ['spam', facts('spam', 0.95), { outcome: 'triage' }],
  ] as const)('decides %s', (_name, input, expected) => {
    const evaluation = evaluateRules(rules, input);
    expect(evaluation.outcome).toBe(expected.outcome);
    if ('ruleId' in expected) expect(evaluation.ruleId).toBe(expected.ruleId);
    if ('workflowId' in expected && evaluation.outcome === 'run')
      expect(evaluation.target.workflowId).toBe(expected.workflowId);
  });

  it('offers the workflows of matching and same-intent rules as triage candidates', () => {
    const evaluation = evaluateRules(rules, facts('billing', 0.5));
    if (evaluation.outcome !== 'triage') throw new Error('expected triage');
    expect(evaluation.reason).toBe('rule billing matches, but intent billing at 0.50 is below its minConfidence 0.7');
    expect(evaluation.candidates.map((c) => c.workflowId)).toEqual(['wf-billing', 'wf-orders']);
  });

  it('routes to the default when it names a workflow', () => {
    const evaluation = evaluateRules({ ...rules, default: { workflowId: 'wf-inbox', version: 1 } }, facts('spam', 0.9));
    expect(evaluation).toMatchObject({ outcome: 'run', target: { workflowId: 'wf-inbox' } });
  });

  it('maps the event to the run input with JSONata', async () => {
    const event = { id: 'evt-1', payload: { subject: 'Invoice 1042' }, clientId: 'northwind' } as unknown as Event;
    expect(await mapInput(undefined, event)).toEqual({ event });
    expect(await mapInput('{ "data": { "subject": payload.subject, "client": clientId } }', event)).toEqual({
      data: { subject: 'Invoice 1042', client: 'northwind' },
    });
    await expect(mapInput('{ "other": 1 }', event)).rejects.toThrow(/only give event and data/);
  });
});

describe('foreground and background start', () => {
  const night = { start: '22:00', end: '06:00' };

  it('knows a window that spans midnight', () => {
    expect(insideWindow(night, new Date('2025-06-02T23:30:00Z'))).toBe(true);
    expect(insideWindow(night, new Date('2025-06-03T05:59:00Z'))).toBe(true);
    expect(insideWindow(night, new Date('2025-06-03T12:00:00Z'))).toBe(false);
    expect(nextOpening(night, new Date('2025-06-03T12:00:00Z')).toISOString()).toBe('2025-06-03T22:00:00.000Z');
    expect(nextOpening({ ...night, days: [6] }, new Date('2025-06-03T12:00:00Z')).toISOString()).toBe(
      '2025-06-07T22:00:00.000Z',
    );
  });

  it('starts a foreground run now, and a background run at its window with the reason', () => {
    const now = new Date('2025-06-03T12:00:00Z');
    expect(planStart({ mode: 'foreground' }, now)).toEqual({
      decision: { mode: 'foreground', requestedAt: now.toISOString(), reason: 'foreground workflow: starts now' },
    });
    const background = planStart({ mode: 'background', window: night }, now);
    expect(background.startAt?.toISOString()).toBe('2025-06-03T22:00:00.000Z');
    expect(background.decision).toEqual({
      mode: 'background',
      requestedAt: now.toISOString(),
      waitedUntil: '2025-06-03T22:00:00.000Z',
      reason: 'background workflow: waits for its window 22:00–06:00 UTC',
    });
    expect(planStart({ mode: 'background', window: night }, new Date('2025-06-03T23:00:00Z')).startAt).toBeUndefined();
  });

  it('waits for the next month when an agent is over budget and the policy says wait', () => {
    const now = new Date('2025-06-03T12:00:00Z');
    const spent = [{ agentId: 'generate@1', spentUsd: 30.5, perMonthUsd: 30 }];
    const waiting = planStart({ mode: 'foreground', onOverBudget: 'wait' }, now, spent);
    expect(waiting.startAt?.toISOString()).toBe('2025-07-01T00:00:00.000Z');
    expect(waiting.decision.reason).toBe('over budget (generate@1 spent $30.5000 of $30): waits for the next month');
    expect(planStart({ mode: 'foreground' }, now, spent).startAt).toBeUndefined();
  });
});
