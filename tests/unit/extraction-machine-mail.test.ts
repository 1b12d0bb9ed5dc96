import { describe, expect, it } from 'vitest';
import { machineKind } from '../../extraction/intent/machine-mail.ts';
import { phishingSignals } from '../../extraction/intent/phishing.ts';
import type { EmailInput } from '../../extraction/message/email-input.ts';
import { email, read } from '../support/extraction-email.ts';

// Mail no person wrote to the operator: auto-replies, bounces, newsletters, and phishing.
describe('intent of machine mail', () => {
  it('reads Auto-Submitted as an auto-reply: no actions or dates, but the client it speaks for', () => {
    const result = read({
      subject: 'Re: Brochure',
      headers: { 'auto-submitted': 'auto-replied' },
      text:
        'Thank you for your email. I am out of the office until Monday 9 March and will reply when I am back. ' +
        'Please contact office@acme-studio.co.uk for anything urgent.\n\nJane Doe\nMarketing Manager | Acme Studio',
    });
    expect(result.intent).toMatchObject({ label: 'other', kind: 'auto-reply' });
    expect(result.actions).toEqual([]);
    expect(result.dates).toEqual([]);
    expect(result.ignoredDates).toContainEqual(
      expect.objectContaining({ date: '2026-03-09', reason: 'auto-reply mail' }),
    );
    expect(result.client?.name).toBe('Acme Studio');
  });

  it('reads a multipart/report delivery status as a bounce with no client', () => {
    const result = read({
      subject: 'Delivery Status Notification (Failure)',
      from: { name: 'Mail Delivery Subsystem', address: 'mailer-daemon@googlemail.com' },
      headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary="b1"' },
      text:
        "Address not found\n\nYour message wasn't delivered to peter@harbour-vine.co.uk because the address " +
        "couldn't be found. Please check the address and try again.",
    });
    expect(result.intent).toMatchObject({ label: 'other', kind: 'bounce' });
    expect(result.client).toBeNull();
    expect(result.actions).toEqual([]);
  });

  it("reads a calendar's answer to an invitation as a notification, in several languages", () => {
    const answer = (subject: string, extra: Partial<EmailInput>) =>
      machineKind(email({ subject, text: 'Ryan has declined this invitation.\n\nProject kickoff', ...extra }));
    const byCalendar = { headers: { sender: 'Google Calendar <calendar-notification@google.com>' } };
    const withInvite = { attachments: [{ filename: 'invite.ics', contentType: 'text/calendar' }] };
    expect(answer('Declined: Project kickoff @ Thu Mar 11, 2027 10am', byCalendar)).toBe('notification');
    expect(answer('Accepted: Project kickoff', withInvite)).toBe('notification');
    expect(answer('Abgelehnt: Projektstart', withInvite)).toBe('notification');
    expect(answer('Accepté : Lancement du projet', byCalendar)).toBe('notification');
    // A person who titles a message like one, with no calendar behind it, wrote it themselves.
    expect(answer('Accepted: your quote for the menu cards', {})).toBeUndefined();
  });

  it('reads List-Unsubscribe as a newsletter that commits to no day', () => {
    const result = read({
      subject: 'March news: our spring workshop on 21 March',
      from: { name: 'Design Weekly', address: 'news@designweekly.com' },
      headers: { 'list-unsubscribe': '<https://designweekly.com/unsub?u=1>' },
      text: 'Hi Sam,\n\nJoin our spring workshop on 21 March for just £49. Book your seat now!',
    });
    expect(result.intent).toMatchObject({ label: 'other', kind: 'newsletter' });
    expect(result.client).toBeNull();
    expect(result.dates).toEqual([]);
    expect(result.ignoredDates).toContainEqual(
      expect.objectContaining({ date: '2026-03-21', reason: 'newsletter mail' }),
    );
  });

  it('tells machine mail by its headers, sender and subject, but not a form relay with a Reply-To', () => {
    expect(machineKind(email({ subject: 'Out of office: Brochure', text: 'I am away.' }))).toBe('auto-reply');
    expect(machineKind(email({ subject: 'Hi', headers: { precedence: 'bulk' }, text: 'News' }))).toBe('newsletter');
    expect(machineKind(email({ subject: 'Receipt', from: { address: 'receipts@stripe.com' }, text: 'Paid' }))).toBe(
      'notification',
    );
    expect(
      machineKind(
        email({
          subject: 'New submission',
          from: { address: 'no-reply@webflow.com' },
          replyTo: [{ address: 'peter.lang@gmail.com' }],
          text: 'Name: Peter Lang',
        }),
      ),
    ).toBeUndefined();
  });
});

describe('phishingSignals', () => {
  const signals = (
    overrides: Partial<EmailInput>,
    links: { text: string; href: string }[] = [],
    known: string[] = [],
  ) => phishingSignals(email(overrides), links, '', known);

  it('flags a link whose text shows another site than it leads to', () => {
    const found = signals({}, [{ text: 'www.acme-studio.com', href: 'https://acme-studio.example.net/brief' }]);
    expect(found).toEqual({ score: 3, reasons: ['a link shows acme-studio.com but leads to acme-studio.example.net'] });
    expect(signals({}, [{ text: 'acme-studio.com/brief', href: 'https://www.acme-studio.com/brief' }]).score).toBe(0);
  });

  it("flags a brand name from a stranger's domain, not from the brand's own", () => {
    const fake = signals({
      subject: 'DocuSign: please sign the contract',
      from: { name: 'DocuSign', address: 'notify@docs-sign-portal.com' },
    });
    expect(fake.reasons).toContain('it speaks for docusign but comes from docs-sign-portal.com');
    const real = signals({
      subject: 'DocuSign: please sign the contract',
      from: { name: 'DocuSign', address: 'dse@docusign.net' },
    });
    expect(real.reasons).toEqual([]);
  });

  it('flags a Reply-To on another domain, more so on free mail', () => {
    const free = signals({ replyTo: [{ address: 'jane.acme@gmail.com' }] });
    expect(free).toEqual({
      score: 2,
      reasons: ['Reply-To (gmail.com) is another domain than From (acme-studio.co.uk)'],
    });
    expect(signals({ replyTo: [{ address: 'accounts@acme-studio.co.uk' }] }).score).toBe(0);
  });

  it('flags a look-alike of a known domain', () => {
    const found = signals({ from: { name: 'Jane Doe', address: 'jane@acme-studlo.co.uk' } }, [], ['acme-studio.co.uk']);
    expect(found.reasons).toEqual(['acme-studlo.co.uk looks like acme-studio.co.uk']);
  });

  it('treats a mail with strong signs as phishing: spam, no client, no actions', () => {
    const result = read({
      subject: 'Your Microsoft 365 password expires today',
      from: { name: 'Microsoft 365 Support', address: 'support@m365-secure-login.com' },
      replyTo: [{ address: 'helpdesk.m365@gmail.com' }],
      html:
        '<p>Dear user,</p><p>Your password expires today. Log in to review your account: ' +
        '<a href="https://m365-secure-login.com/auth">https://login.microsoftonline.com</a></p>',
    });
    expect(result.intent).toMatchObject({ label: 'spam', kind: 'phishing' });
    expect(result.intent.reasons).toContain(
      'phishing sign: a link shows login.microsoftonline.com but leads to m365-secure-login.com',
    );
    expect(result.client).toBeNull();
    expect(result.actions).toEqual([]);
    expect(result.dates).toEqual([]);
  });
});
