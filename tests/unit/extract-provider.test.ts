import { describe, expect, it } from 'vitest';
import { extractNode } from '../../nodes/extract/index.ts';
import { buildMessages, providerAnswerSchema, providerParser } from '../../nodes/extract/prompt.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';
import { checkDefinition } from '../../nodes/sdk/registry.ts';

const event: EventValue = {
  id: 'evt-1',
  type: 'email.received',
  status: 'accepted',
  actor: { kind: 'person', name: 'Dan Okafor', address: 'dan@brightlane.io' },
  source: { kind: 'email', uri: 'mid:1@brightlane.io', version: '1' },
  occurredAt: '2025-03-14T16:05:31-07:00',
  receivedAt: '2025-03-14T23:05:40Z',
  confidence: 1,
  payload: { subject: 'payment sent', text: 'AP sent the wire ($4,750.00). Can you send me a W-8BEN by April 15?' },
  metadata: {},
};

const answer = {
  intent: { label: 'billing', confidence: 0.9 },
  actionItems: [{ text: 'send me a W-8BEN', owner: 'me', due: '2025-04-15', confidence: 0.9 }],
  dates: [{ text: 'April 15', date: '2025-04-15', confidence: 0.9 }],
  amounts: [{ text: '$4,750.00', amountMinor: 475000, currency: 'USD', confidence: 0.95 }],
  people: [{ name: 'Dan Okafor', confidence: 0.9 }],
  organizations: [],
  confidence: 0.85,
};
const stop = { finishReason: 'stop', model: 'stub-large', tier: 'provider' } as const;

describe('extract node definition', () => {
  it('is a valid node definition whose example round-trips through validation', () => {
    expect(checkDefinition(extractNode)).toEqual([]);
    expect(extractNode.type).toBe('extract');
    expect(extractNode.execution.kind).toBe('activity');
  });
});

describe('extract provider leg', () => {
  it('asks for JSON without tier and model, and carries the requested fields', () => {
    expect(Object.keys(providerAnswerSchema.properties)).not.toContain('tier');
    const [system, user] = buildMessages(event, undefined, ['budget']);
    expect(system?.content).toContain('budget');
    expect(user?.content).toContain('Subject: payment sent');
    expect(user?.content).toContain('W-8BEN');
  });

  it('accepts a fenced JSON reply that matches the schema, stamped with tier and model', () => {
    const parsed = providerParser(event)('```json\n' + JSON.stringify(answer) + '\n```', stop);
    expect(parsed.value).toMatchObject({ tier: 'provider', model: 'stub-large', intent: { label: 'billing' } });
    expect(parsed.confidence).toBe(0.85);
  });

  it('throws on a reply that is not JSON or breaks the schema, so the router degrades', () => {
    const parse = providerParser(event);
    expect(() => parse('Sure! The intent is billing.', stop)).toThrow(/not JSON/);
    expect(() => parse(JSON.stringify({ ...answer, intent: { label: 'invoice', confidence: 1 } }), stop)).toThrow(
      /intent/,
    );
    expect(() =>
      parse(JSON.stringify({ ...answer, amounts: [{ ...answer.amounts[0], amountMinor: 4750.5 }] }), stop),
    ).toThrow();
  });

  it('trusts a cut-off or ungrounded answer less than the model says', () => {
    const parse = providerParser(event);
    expect(parse(JSON.stringify(answer), { ...stop, finishReason: 'length' }).confidence).toBe(0.4);
    const invented = {
      ...answer,
      amounts: [{ text: '€9,999', amountMinor: 999900, currency: 'EUR', confidence: 1 }],
      people: [{ name: 'Zed Nobody', confidence: 1 }],
    };
    expect(parse(JSON.stringify(invented), stop).confidence).toBeLessThan(0.85);
  });
});
