import { describe, expect, it } from 'vitest';
import { findActionItems } from '../../nodes/extract/local/actions.ts';
import { findDates } from '../../nodes/extract/local/dates.ts';
import { referenceOf } from '../../nodes/extract/local/extract-local.ts';
import { brandMismatch, classifyIntent } from '../../nodes/extract/local/intent.ts';
import { splitMessage } from '../../nodes/extract/local/message.ts';
import { sentencesOf } from '../../nodes/extract/local/nlp.ts';
import { findPeopleAndOrganizations } from '../../nodes/extract/local/people.ts';

const reference = referenceOf('2025-03-14T16:05:31-07:00');
const actionsIn = (body: string, senderName?: string) =>
  findActionItems(
    sentencesOf(body).map((sentence) => ({ sentence, dates: findDates(sentence.text, reference, 'month-first') })),
    senderName ? { senderName } : {},
  ).map(({ text, owner, due }) => ({ text, owner, ...(due ? { due } : {}) }));

describe('splitMessage', () => {
  it('cuts quoted replies, greeting, sign-off and signature', () => {
    const parts = splitMessage(
      'Hi Lena,\n\nCould you send the files?\n\nBest,\nAlicia Moreno\nMoreno Family Law, PLLC\n\nOn Tue, 18 Mar 2025, Lena Hoffmann <lena@hoffmann.studio> wrote:\n> Total $7,200.',
    );
    expect(parts).toEqual({
      body: 'Could you send the files?',
      greeting: 'Hi Lena,',
      greetingName: 'Lena',
      signOff: 'Best,',
      signature: ['Alicia Moreno', 'Moreno Family Law, PLLC'],
    });
  });

  it('cuts Outlook-style pasted headers and German quote markers', () => {
    expect(splitMessage('Danke!\n\n-----Ursprüngliche Nachricht-----\nVon: Lena\nRechnung 1.980,00 €').body).toBe('');
    expect(splitMessage('Fine.\n\nFrom: Lena Hoffmann <lena@hoffmann.studio>\nSent: Tuesday\nOld text').body).toBe(
      'Fine.',
    );
  });

  it('does not take a first sentence for a greeting', () => {
    expect(splitMessage('hey! got your name from Sam. what do you charge?\n\njake').greeting).toBeUndefined();
  });
});

describe('findActionItems', () => {
  it('finds requests to the recipient with their deadline', () => {
    expect(actionsIn('Could you send me the W-8BEN by April 15? Please call me tomorrow.')).toEqual([
      { text: 'send me the W-8BEN by April 15', owner: 'me', due: '2025-04-15' },
      { text: 'call me tomorrow', owner: 'me', due: '2025-03-15' },
    ]);
  });

  it('attributes commitments to whoever makes them', () => {
    expect(
      actionsIn(
        "That's roughly 12 pages; we'll provide the translations by April 4. Inês will send the shot list.",
        'Alicia Moreno',
      ),
    ).toEqual([
      { text: "we'll provide the translations by April 4", owner: 'Alicia Moreno', due: '2025-04-04' },
      { text: 'Inês will send the shot list', owner: 'Inês' },
    ]);
  });

  it('does not take a meeting date for a deadline', () => {
    expect(actionsIn('Could we move the review to Thursday at 14:00 instead?')).toEqual([
      { text: 'move the review to Thursday at 14:00 instead', owner: 'me' },
    ]);
  });

  it('dates a request from a following deadline-only sentence', () => {
    expect(
      actionsIn('can you send me a W-8BEN? our accountant flagged it. needed before the next payment on April 15.'),
    ).toEqual([{ text: 'send me a W-8BEN', owner: 'me', due: '2025-04-15' }]);
  });

  it('skips pleasantries, link captions and list introductions', () => {
    expect(
      actionsIn(
        'Thanks for the quick turnaround! Update payment method: https://example.com/billing\n\nWe would like a few changes:\n\nLooking forward to hearing from you!',
      ),
    ).toEqual([]);
  });
});

describe('classifyIntent', () => {
  it('scores cue phrases and gives a confidence from the margin', () => {
    const clear = classifyIntent({
      subject: 'RE: Invoice HS-2025-014',
      body: 'Please reissue the invoice quoting our purchase order number; accounts payable cannot process it.',
      hasAmounts: true,
      brandMismatch: false,
      requestCount: 1,
    });
    expect(clear.label).toBe('billing');
    expect(clear.confidence).toBeGreaterThan(0.8);
  });

  it('defaults to other with low confidence when nothing points anywhere', () => {
    const vague = classifyIntent({
      subject: 'hello',
      body: 'Just checking in.',
      hasAmounts: false,
      brandMismatch: false,
      requestCount: 0,
    });
    expect(vague.label).toBe('other');
    expect(vague.confidence).toBeLessThan(0.6);
  });

  it('treats a brand in the display name on a look-alike domain as phishing evidence', () => {
    expect(brandMismatch('DHL Express', 'noreply@dhl-tracking-status.info')).toBe(true);
    expect(brandMismatch('Figma', 'billing@figma.com')).toBe(false);
    expect(brandMismatch('Tom Whitaker', 'tom@fernandfoxgin.com')).toBe(false);
  });
});

describe('findPeopleAndOrganizations', () => {
  it('names people from headers, greeting, signature and cues, and companies by suffix', () => {
    const body =
      'A friend, Hélène Marchand, gave me your name. Gemma wants to see it. I work with Northwind Logistics Ltd.';
    const found = findPeopleAndOrganizations({
      sender: { name: 'Camille Laurent', address: 'c.laurent@atelier-sorel.fr' },
      greetingName: 'Lena',
      signature: ['Camille Laurent', 'Atelier Sorel – Maroquinerie'],
      sentences: sentencesOf(body),
    });
    expect(found.people.map((p) => p.name).sort()).toEqual(['Camille Laurent', 'Gemma', 'Hélène Marchand', 'Lena']);
    expect(found.organizations.map((o) => o.name).sort()).toEqual(['Atelier Sorel', 'Northwind Logistics Ltd.']);
  });
});
