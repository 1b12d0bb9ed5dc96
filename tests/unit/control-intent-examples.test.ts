import { describe, expect, it } from 'vitest';
import { intentExampleOf } from '../../control/learning/intent-examples.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';

function event(subject: string, text: string, from = 'greta@northwind.example'): EventValue {
  return {
    id: 'evt-1',
    type: 'email.received',
    status: 'accepted',
    actor: { kind: 'person', name: 'Greta Olsen', address: from },
    source: { kind: 'email', uri: 'mid:1@northwind.example', version: '1' },
    occurredAt: '2026-06-02T09:00:00+02:00',
    receivedAt: '2026-06-02T07:00:01Z',
    confidence: 1,
    payload: { subject, text },
    metadata: {},
  };
}

describe('corrections as intent examples', () => {
  it('labels the email the person corrected with the intent they approved, in the library’s labels', () => {
    const example = intentExampleOf(
      'task-1',
      event(
        'Order sheet week 23',
        'Hi Lena,\n\nAttached is our order sheet for week 23.\nPlease update the dashboard.\n\nGreta',
      ),
      'change-request',
      'other',
    );
    expect(example).toMatchObject({ taskId: 'task-1', eventId: 'evt-1', label: 'change', labelBefore: 'other' });
    expect('features' in example && example.features).toMatchObject({ 'w:sheet': 1, 'w:dashboard': 1 });
  });

  it('skips mail whose headers decide its intent, and tasks without an event', () => {
    expect(
      intentExampleOf('task-2', event('Automatic reply: Order sheet', 'I am out of the office until Monday.'), 'lead'),
    ).toEqual({
      taskId: 'task-2',
      reason: 'its headers decide the intent (machine mail)',
    });
    expect(intentExampleOf('task-3', undefined, 'lead')).toEqual({
      taskId: 'task-3',
      reason: 'the review task holds no event',
    });
  });
});
