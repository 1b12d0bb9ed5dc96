import { describe, expect, it } from 'vitest';
import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { extractNode } from '../../nodes/extract/index.ts';
import { buildMessages, providerAnswerSchema, providerParser, spanOf } from '../../nodes/extract/prompt.ts';
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
  payload: {
    subject: 'payment sent',
    text: 'Hi,\n\nAP sent the wire ($4,750.00). Can you send me a W-8BEN by April 15?\n\nThanks,\nDan\nBrightlane Studio',
  },
  metadata: {},
};
const base = extractEmail(emailInputOfEvent(event));

const answer = {
  intent: { label: 'billing', confidence: 0.9 },
  client: { name: 'Brightlane Studio' },
  dates: [{ text: 'April 15', date: '2025-04-15' }],
  amounts: [{ text: '$4,750.00', value: '4750', currency: 'USD' }],
  actions: [{ text: 'send me a W-8BEN', due: '2025-04-15' }],
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
  it('asks for the decision-critical fields in JSON, with the email as the library read it', () => {
    expect(Object.keys(providerAnswerSchema.properties)).toEqual([
      'intent',
      'client',
      'dates',
      'amounts',
      'actions',
      'confidence',
    ]);
    const [system, user] = buildMessages(event, base.message.text, undefined);
    expect(system?.content).toContain('copied exactly from the email');
    expect(user?.content).toContain('Subject: payment sent');
    expect(user?.content).toContain('W-8BEN');
  });

  it('accepts a fenced JSON reply whose values are all in the email, with their spans', () => {
    const notes: string[] = [];
    const parsed = providerParser(event, base, [], notes)('```json\n' + JSON.stringify(answer) + '\n```', stop);
    expect(parsed.value).toMatchObject({
      tier: 'provider',
      model: 'stub-large',
      intent: { label: 'billing' },
      client: { name: 'Brightlane Studio' },
      amounts: [{ amountMinor: 475000, currency: 'USD', value: '4750' }],
    });
    const date = parsed.value.dates[0]!;
    expect(base.message.text.slice(date.span!.start, date.span!.end)).toBe('April 15');
    expect(parsed.confidence).toBe(0.85);
    expect(notes).toEqual([]);
  });

  it('drops and counts values that are not in the email, and trusts the answer less', () => {
    const notes: string[] = [];
    const invented = {
      ...answer,
      amounts: [{ text: '€9,999', value: '9999', currency: 'EUR' }],
      client: { name: 'Zed Nobody Ltd' },
    };
    const parsed = providerParser(event, base, [], notes)(JSON.stringify(invented), stop);
    expect(parsed.value.amounts).toEqual([]);
    expect(parsed.value.client).toBeUndefined();
    expect(parsed.confidence).toBeLessThan(0.85);
    expect(notes.join(' ')).toMatch(/dropped 2 ungrounded value\(s\): amount "€9,999", client "Zed Nobody Ltd"/);
  });

  it('throws on a reply that is not JSON or breaks the schema, so the router degrades', () => {
    const parse = providerParser(event, base, [], []);
    expect(() => parse('Sure! The intent is billing.', stop)).toThrow(/not JSON/);
    expect(() => parse(JSON.stringify({ ...answer, intent: { label: 'invoice', confidence: 1 } }), stop)).toThrow(
      /intent/,
    );
    expect(() =>
      parse(JSON.stringify({ ...answer, amounts: [{ text: '$4,750.00', value: '4,750', currency: 'USD' }] }), stop),
    ).toThrow();
    expect(parse(JSON.stringify(answer), { ...stop, finishReason: 'length' }).confidence).toBeLessThan(0.85);
  });

  it('finds a value across line breaks and case', () => {
    expect(spanOf('Please pay\nthe   Invoice by Friday', 'the invoice by')).toEqual({ start: 11, end: 27 });
    expect(spanOf('nothing here', 'W-9')).toBeUndefined();
  });
});
