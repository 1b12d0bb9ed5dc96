import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../extraction/message/body.ts';
import type { EmailInput } from '../../extraction/message/email-input.ts';
import { contentRuns, kindAt, structureOf, type MessageStructure } from '../../extraction/message/structure.ts';
import { languageOf, monthFirst } from '../../extraction/text/locale.ts';
import { sentencesIn } from '../../extraction/text/sentences.ts';

/** Each segment as [kind, its text]. */
const parts = (structure: MessageStructure) =>
  structure.segments.map((segment) => [segment.kind, structure.text.slice(segment.start, segment.end)]);
const kinds = (structure: MessageStructure) => structure.segments.map((segment) => segment.kind);
const sentences = (text: string) => sentencesIn(text, 0, text.length).map((s) => s.text);

describe('structureOf', () => {
  it('splits a top-posted Gmail reply into new text, signature and quoted history', () => {
    const text =
      'Hi Sam,\n\nThursday at 10 works for me. Could you send the agenda beforehand?\n\n' +
      'Best,\nJane Doe\nHead of Marketing | Acme Studio\n\n' +
      'On Tue, 3 Mar 2026 at 14:02, Sam Carter <sam@northwind.studio> wrote:\n' +
      '> Hi Jane,\n>\n> Would Thursday 12 March at 10:00 suit you for the kick-off?\n>\n> Sam';
    const structure = structureOf(text, 'Re: Kick-off');
    expect(parts(structure)).toEqual([
      ['new', 'Hi Sam,\n\nThursday at 10 works for me. Could you send the agenda beforehand?\n\n'],
      ['signature', 'Best,\nJane Doe\nHead of Marketing | Acme Studio\n\n'],
      ['quoted', text.slice(text.indexOf('On Tue'))],
    ]);
    expect(structure.hasQuote).toBe(true);
    expect(structure.forward).toBeUndefined();
    expect(kindAt(structure, text.indexOf('Thursday 12 March'))).toBe('quoted');
  });

  it("marks an Outlook reply's From/Sent block and everything after it as quoted", () => {
    const text =
      "Hi Sam,\n\nThat's fine, let's go with the second option.\n\nKind regards,\nTom\n\n" +
      '________________________________\nFrom: Sam Carter <sam@northwind.studio>\n' +
      'Sent: Tuesday, March 3, 2026 2:02 PM\nTo: Tom Weber <tom@acme-studio.com>\nSubject: Options\n\n' +
      'Hi Tom, which option do you prefer? I can deliver by 20 March.\nSam';
    const structure = structureOf(text, 'RE: Options');
    expect(kinds(structure)).toEqual(['new', 'signature', 'quoted']);
    expect(kindAt(structure, text.indexOf('____'))).toBe('quoted');
    expect(kindAt(structure, text.indexOf('20 March'))).toBe('quoted');
  });

  it('recognises quote headers of German Outlook, French Apple Mail and Spanish Gmail', () => {
    const german =
      'Hallo Sam,\n\nDonnerstag passt.\n\nJana\n\nVon: Sam Carter <sam@northwind.studio>\n' +
      'Gesendet: Dienstag, 3. März 2026 14:02\nAn: Jana Albrecht <jana@albrecht-kaffee.de>\nBetreff: Termin\n\n' +
      'Hallo Jana, passt Donnerstag, der 12. März?';
    const french =
      'Bonjour Sam,\n\nJeudi à 10h me convient.\n\n' +
      'Le 3 mars 2026 à 14:02, Sam Carter <sam@northwind.studio> a écrit :\n\n' +
      'Bonjour Claire, jeudi 12 mars à 10h vous convient ?';
    const spanish =
      'Hola Sam,\n\nEl jueves a las 10 me va bien.\n\n' +
      'El mar, 3 mar 2026 a las 14:02, Sam Carter (<sam@northwind.studio>) escribió:\n\n' +
      '> Hola Lucía, ¿te va bien el jueves 12 de marzo?';
    for (const [text, subject, header] of [
      [german, 'AW: Termin', 'Von: Sam'],
      [french, 'Re: Rendez-vous', 'Le 3 mars'],
      [spanish, 'Re: Reunión', 'El mar,'],
    ] as const) {
      const structure = structureOf(text, subject);
      expect(kinds(structure)).toEqual(['new', 'quoted']);
      expect(structure.segments[1]?.start).toBe(text.indexOf(header));
    }
  });

  it('treats an Apple Mail "Sent from my iPhone" line as the signature before the quote', () => {
    const text =
      'Sounds good, see you then.\n\nSent from my iPhone\n\n' +
      'On 3 Mar 2026, at 14:02, Sam Carter <sam@northwind.studio> wrote:\n\nWould Thursday work?';
    expect(parts(structureOf(text, 'Re: Call'))).toEqual([
      ['new', 'Sounds good, see you then.\n\n'],
      ['signature', 'Sent from my iPhone\n\n'],
      ['quoted', 'On 3 Mar 2026, at 14:02, Sam Carter <sam@northwind.studio> wrote:\n\nWould Thursday work?'],
    ]);
  });

  it('keeps the answers of an inline reply as new text between the quoted lines', () => {
    const text =
      'Hi Jane,\n\n> Could you send the final logo files?\nYes, they are attached.\n\n' +
      '> And can we move the call to Friday?\nFriday works, 3pm?\n\nSam';
    const structure = structureOf(text, 'Re: Files');
    expect(parts(structure)).toEqual([
      ['new', 'Hi Jane,\n\n'],
      ['quoted', '> Could you send the final logo files?\n'],
      ['new', 'Yes, they are attached.\n\n'],
      ['quoted', '> And can we move the call to Friday?\n'],
      ['new', 'Friday works, 3pm?\n\nSam'],
    ]);
    expect(contentRuns(structure).map((run) => text.slice(run.start, run.end).trim())).toEqual([
      'Hi Jane,',
      'Yes, they are attached.',
      'Friday works, 3pm?\n\nSam',
    ]);
  });

  it("keeps a Gmail forward's body as content and attributes it to its sender and date", () => {
    const text =
      'Hi Sam,\n\nsee below, could you take a look and send them a quote?\n\nThanks,\nJane\n\n' +
      '---------- Forwarded message ---------\nFrom: Peter Lang <peter@harbour-vine.co.uk>\n' +
      'Date: Mon, 2 Mar 2026 at 09:15\nSubject: Website redesign\nTo: Jane Doe <jane@acme-studio.com>\n\n' +
      'Hello Jane,\n\nWe are looking for someone to redesign our website by 30 April. Our budget is £8,000.\n\nPeter';
    const structure = structureOf(text, 'Fwd: Website redesign');
    expect(kinds(structure)).toEqual(['new', 'signature', 'forward-header', 'forwarded']);
    expect(structure.forward).toEqual({
      from: { name: 'Peter Lang', address: 'peter@harbour-vine.co.uk' },
      date: 'Mon, 2 Mar 2026 at 09:15',
      subject: 'Website redesign',
    });
    expect(kindAt(structure, text.indexOf('Date: Mon'))).toBe('forward-header');
    expect(kindAt(structure, text.indexOf('30 April'))).toBe('forwarded');
    expect(structure.hasQuote).toBe(false);
  });

  it('reads forwards of German Outlook, Spanish Gmail and French Outlook', () => {
    const german =
      'Hallo Sam,\n\nanbei die Anfrage von Herrn Lang.\n\nGruß\nJana\n\n' +
      'Von: Peter Lang <peter@lang-bau.de>\nGesendet: Montag, 2. März 2026 09:15\n' +
      'An: Jana Albrecht <jana@albrecht-kaffee.de>\nBetreff: Angebot\n\n' +
      'Guten Tag, wir bräuchten ein Angebot bis zum 20. März.\n\nPeter Lang';
    const spanish =
      'Hola Sam,\n\nte reenvío el correo de Marta.\n\n---------- Forwarded message ---------\n' +
      'De: Marta Ruiz <marta@conservas-ruiz.es>\nDate: lun, 2 mar 2026 a las 9:15\nSubject: Catálogo\n' +
      'To: Lucía <lucia@estudio-sol.es>\n\nHola Lucía, necesitamos el catálogo para el 15 de abril.\n\nMarta';
    const french =
      'Bonjour Sam,\n\nje vous transfère la demande ci-dessous.\n\nCordialement,\nClaire\n\n' +
      '-------- Message transféré --------\nSujet : Devis site web\nDate : Mon, 2 Mar 2026 09:15:00 +0100\n' +
      'De : Paul Martin <paul@boulangerie-martin.fr>\nPour : Claire Dubois <claire@atelier-lumiere.fr>\n\n' +
      'Bonjour,\n\nNous aimerions refaire notre site avant le 30 avril.\n\nPaul';
    const cases = [
      [german, 'WG: Angebot', 'Peter Lang', 'bis zum 20. März'],
      [spanish, 'RV: Catálogo', 'Marta Ruiz', '15 de abril'],
      [french, 'TR: Devis site web', 'Paul Martin', '30 avril'],
    ] as const;
    for (const [text, subject, name, phrase] of cases) {
      const structure = structureOf(text, subject);
      expect(structure.forward?.from?.name).toBe(name);
      expect(kindAt(structure, text.indexOf(phrase))).toBe('forwarded');
      expect(kinds(structure)).toContain('forward-header');
    }
  });

  it("sets a form relay's submission lines apart as metadata", () => {
    const text =
      'Name: Peter Lang\nCompany: Harbour & Vine Ltd\nMessage: We need a new logo by 20 March.\n' +
      'Submitted: 15 Feb 2026, 11:58\nPage URL: https://northwind.studio/contact';
    const structure = structureOf(text, 'New submission');
    expect(parts(structure).filter(([kind]) => kind === 'metadata')).toEqual([
      ['metadata', 'Submitted: 15 Feb 2026, 11:58'],
      ['metadata', 'Page URL: https://northwind.studio/contact'],
    ]);
    expect(kindAt(structure, text.indexOf('Harbour'))).toBe('new');
  });

  it('sets legal disclaimers apart', () => {
    const confidential =
      'Hi Sam,\n\nCan you confirm the delivery date?\n\n' +
      'This email is confidential and intended solely for the addressee. If you are not the intended recipient, ' +
      'please delete it.';
    expect(kinds(structureOf(confidential, 'Delivery'))).toEqual(['new', 'disclaimer']);
    const registered =
      'Hi Sam,\n\nCan you confirm the delivery date?\n\nJane Doe | Acme Studio Ltd\n\n' +
      'Acme Studio Ltd is registered in England and Wales, company number 01234567, registered office 1 High St, ' +
      'Bristol.';
    const structure = structureOf(registered, 'Delivery');
    expect(kindAt(structure, registered.indexOf('is registered'))).toBe('disclaimer');
    expect(kindAt(structure, registered.indexOf('Can you confirm'))).toBe('new');
  });
});

describe('sentencesIn', () => {
  it('does not end a sentence at an ordinal day before a month', () => {
    expect(sentences('Bitte schicken Sie die Entwürfe bis zum 18. Dezember. Danke!')).toEqual([
      'Bitte schicken Sie die Entwürfe bis zum 18. Dezember.',
      'Danke!',
    ]);
    expect(sentences('Wir treffen uns am 3. März. Passt das?')).toEqual(['Wir treffen uns am 3. März.', 'Passt das?']);
  });

  it('does not end a sentence at abbreviations, initials or numbers', () => {
    expect(sentences('Wir brauchen z. B. neue Fotos. Die Hausnummer ist Nr. 5. Dr. Smith kommt auch.')).toEqual([
      'Wir brauchen z. B. neue Fotos.',
      'Die Hausnummer ist Nr. 5.',
      'Dr. Smith kommt auch.',
    ]);
    expect(sentences('I spoke to Dr. Smith and J. Brown yesterday. Can you call them on Monday?')).toEqual([
      'I spoke to Dr. Smith and J. Brown yesterday.',
      'Can you call them on Monday?',
    ]);
    expect(sentences('Das Angebot gilt bis 18.12.2026. Die Summe ist 1.250 EUR. Passt das?')).toEqual([
      'Das Angebot gilt bis 18.12.2026.',
      'Die Summe ist 1.250 EUR.',
      'Passt das?',
    ]);
  });

  it('joins hard-wrapped lines, splits list items, and gives offsets into the text', () => {
    expect(
      sentences(
        'This is a long line that was hard wrapped by the mail client at about seventy\n' +
          'characters so it continues here. Second sentence.',
      ),
    ).toEqual([
      'This is a long line that was hard wrapped by the mail client at about seventy\ncharacters so it continues here.',
      'Second sentence.',
    ]);
    expect(sentences('Changes:\n- swap the logo\n- fix the typo')).toEqual([
      'Changes:',
      '- swap the logo',
      '- fix the typo',
    ]);
    const text = 'Hello.\n\nCould you call me? Thanks!';
    const found = sentencesIn(text, 8, text.length);
    expect(found.map((s) => [s.text, s.start, s.end])).toEqual([
      ['Could you call me?', 8, 26],
      ['Thanks!', 27, 34],
    ]);
  });
});

describe('languageOf', () => {
  it('detects the five languages', () => {
    expect(languageOf('Hallo Sam, können Sie uns bitte ein Angebot für die neue Website schicken?')).toBe('de');
    expect(languageOf('Bonjour Sam, pourriez-vous nous envoyer un devis pour le nouveau site ?')).toBe('fr');
    expect(languageOf('Hola Sam, ¿podrías enviarnos un presupuesto para la nueva web?')).toBe('es');
    expect(languageOf('Hoi Sam, kun je ons een offerte sturen voor de nieuwe website?')).toBe('nl');
    expect(languageOf('Hi Sam, could you send us a quote for the new website?')).toBe('en');
  });

  it('falls back to English for text too short to tell', () => {
    expect(languageOf('Hi Sam')).toBe('en');
    expect(languageOf('Ok!')).toBe('en');
  });
});

describe('monthFirst', () => {
  it('lets a part over 12 in the text decide', () => {
    expect(monthFirst('en', 'by 03/14', 'jane@acme.co.uk', 0)).toBe(true);
    expect(monthFirst('en', 'by 13/04', 'jane@acme.us', 0)).toBe(false);
  });

  it("otherwise decides by the sender's country, spelling, currency and offset", () => {
    expect(monthFirst('en', 'by 03/04', 'jane@acme.us', 0)).toBe(true);
    expect(monthFirst('en', 'by 03/04', 'jane@acme.co.uk', -300)).toBe(false);
    expect(monthFirst('en', 'by 03/04', 'jane@acme.com', -300)).toBe(true);
    expect(monthFirst('en', 'by 03/04', 'jane@acme.com', 60)).toBe(false);
    expect(monthFirst('en', 'by 03/04 for £500', 'jane@acme.com', -300)).toBe(false);
    expect(monthFirst('en', 'by 03/04, the colour proofs', 'jane@acme.com', -300)).toBe(false);
  });

  it('is never month-first outside English', () => {
    expect(monthFirst('de', 'bis 03/14', 'jana@acme.us', -300)).toBe(false);
  });
});

describe('bodyOf', () => {
  const base: EmailInput = {
    subject: 'Brief',
    replyTo: [],
    to: [],
    cc: [],
    sentAt: '2026-03-04T10:00:00+00:00',
    headers: {},
    attachments: [],
  };

  it('turns HTML-only mail into text with tables as rows, and keeps its links', () => {
    const body = bodyOf({
      ...base,
      html:
        '<p>Hi Sam,</p><p>Please see the <a href="https://acme.com/brief">brief&nbsp;here</a>.</p>' +
        '<table><tr><td>Item</td><td>Price</td></tr><tr><td>Logo</td><td>£500</td></tr></table>',
    });
    expect(body.fromHtml).toBe(true);
    expect(body.text).toBe('Hi Sam,\n\nPlease see the brief here.\n\nItem  Price\nLogo  £500');
    expect(body.links).toEqual([{ text: 'brief here', href: 'https://acme.com/brief' }]);
  });

  it('normalises line ends, non-breaking and zero-width spaces and trailing blanks', () => {
    const body = bodyOf({ ...base, text: 'Hi Sam,\r\nThanks\u00a0a lot.   \r\n\r\n\r\n\r\n\r\nBye\u200b' });
    expect(body).toEqual({ text: 'Hi Sam,\nThanks a lot.\n\n\nBye', fromHtml: false, links: [] });
  });
});
