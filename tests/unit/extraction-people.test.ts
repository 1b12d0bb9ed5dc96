import { describe, expect, it } from 'vitest';
import { classifySentence, type SentenceInContext } from '../../extraction/actions/find-actions.ts';
import { read } from '../support/extraction-email.ts';

const sentence = (text: string, language = 'en', listItem = false): SentenceInContext => ({
  text,
  start: 0,
  end: text.length,
  kind: 'new',
  listItem,
  listIntro: false,
  language,
});
const ownerOf = (text: string, language = 'en', listItem = false) =>
  classifySentence(sentence(text, language, listItem))?.owner;

describe('findClient', () => {
  it("takes a form's organisation written on the line below its label, never a footer's label", () => {
    const result = read({
      subject: 'New submission from Contact Form',
      from: { name: 'Northwind Studio', address: 'forms@northwind.studio' },
      replyTo: [{ name: 'Ana Ruiz', address: 'ana@olive-press.es' }],
      text:
        'New submission from Contact Form\n\nName:\nAna Ruiz\n\nOrganisation:\nOlive Press Cooperative\n\n' +
        'Message:\nWe need new labels for our spring oils. Could you send a quote?\n\n--\n' +
        'Submitted: 2026/03/04 at 10:00 am\nEntry ID: 8812\nSent by Gravity Forms',
    });
    expect(result.client?.name).toBe('Olive Press Cooperative');
    expect(result.client?.evidence[0]?.source).toBe('form');
  });

  it("takes the signature's organisation even when it carries the sender's family name", () => {
    const result = read({
      from: { name: 'Rosa Lindqvist', address: 'rosa@lindqvistvet.se' },
      text:
        'Hi Sam,\n\nCould you update the opening hours on our site?\n\nThanks,\n\nRosa Lindqvist\nPractice Manager\n' +
        'Lindqvist Veterinary\n+46 8 555 0100',
    });
    expect(result.client?.name).toBe('Lindqvist Veterinary');
  });

  it("takes a form's Company field through a relay with Reply-To the enquirer", () => {
    const result = read({
      subject: 'New submission: Contact form',
      from: { name: 'Webflow', address: 'no-reply-forms@webflow.com' },
      replyTo: [{ name: 'Peter Lang', address: 'peter.lang@gmail.com' }],
      text:
        'New form submission on northwind.studio\n\nName: Peter Lang\nEmail: peter.lang@gmail.com\n' +
        'Company: Harbour & Vine Ltd\nMessage: We need a new logo and packaging by 20 March. Our budget is around ' +
        '£4,500. Could you send a quote?\n\nSubmitted: 2 Mar 2026, 11:58\nPage URL: https://northwind.studio/contact',
    });
    expect(result.client?.name).toBe('Harbour & Vine Ltd');
    const evidence = result.client?.evidence[0];
    expect(evidence?.source).toBe('form');
    expect(evidence?.span && result.message.text.slice(evidence.span.start, evidence.span.end)).toBe(
      'Harbour & Vine Ltd',
    );
    expect(result.dates.map((d) => d.date)).toEqual(['2026-03-20']);
    expect(result.ignoredDates).toContainEqual(
      expect.objectContaining({ date: '2026-03-02', reason: 'in metadata text' }),
    );
  });

  it('takes the organisation of a "Title | Org" signature line', () => {
    const result = read({
      from: { name: 'Maya Patel', address: 'maya.patel@gmail.com' },
      text:
        'Hi Sam,\n\nCould you quote for a 12-page brochure?\n\nBest regards,\nMaya Patel\n' +
        'Marketing Manager | Greenfield Dental Clinic\n+44 20 7946 0958',
    });
    expect(result.client?.name).toBe('Greenfield Dental Clinic');
    expect(result.client?.evidence.map((e) => e.source)).toEqual(['signature']);
  });

  it('takes the name the organisation spells its domain with', () => {
    const crumb = read({
      from: { name: 'Tom Baker', address: 'tom@crumbandco.co.uk' },
      text:
        'Hi Sam,\n\nWe would love new packaging for our sourdough range. Could you send your rates?\n\n' +
        'Cheers,\nTom\nCrumb & Co Bakery\n12 Mill Lane, Bristol',
    });
    expect(crumb.client?.name).toBe('Crumb & Co Bakery');
    const kowhai = read({
      from: { name: 'Aroha Smith', address: 'aroha@kowhaikindy.org.nz' },
      text:
        'Hi Sam,\n\nCould you send the poster by Friday?\n\nKind regards,\nAroha Smith\n' +
        'Centre Manager | Kowhai Kindergarten Trust\n021 555 0199',
    });
    expect(kowhai.client?.name).toBe('Kowhai Kindergarten Trust');
    const meridian = read({
      from: { name: 'Raj Mehta', address: 'raj@meridianfreight.com' },
      text:
        'Hi Sam,\n\nCould you redesign our shipping labels?\n\nRegards,\nRaj Mehta\nOperations Lead\n' +
        'Meridian Freight Logistics Ltd',
    });
    expect(meridian.client?.name).toBe('Meridian Freight Logistics Ltd');
    expect(meridian.client?.evidence.map((e) => e.source)).toEqual(['signature', 'domain']);
  });

  it('takes an organisation whose domain is its initials', () => {
    const result = read({
      subject: 'Nieuwe folder',
      from: { name: 'Eva de Vos', address: 'eva@obgz.nl' },
      sentAt: '2026-03-04T10:00:00+01:00',
      text:
        'Hoi Sam,\n\nKun je ons een offerte sturen voor de nieuwe folder?\n\nMet vriendelijke groet,\nEva de Vos\n' +
        'Openbare Bibliotheek Gelderland Zuid',
    });
    expect(result.client?.name).toBe('Openbare Bibliotheek Gelderland Zuid');
  });

  it("never takes the operator's own business, and gives null for a private person on gmail", () => {
    const fan = read({
      from: { name: 'Lisa Grant', address: 'lisa.grant@gmail.com' },
      text:
        'Hi Sam,\n\nI love what Northwind Studio did for the bakery. We are Northwind Studio fans! Could you design ' +
        'my wedding invitations?\n\nThanks,\nLisa',
    });
    expect(fan.client).toBeNull();
    const private_ = read({
      from: { name: 'Lisa Grant', address: 'lisa.grant@gmail.com' },
      text:
        'Hi Sam,\n\nMy fiancé and I are getting married in September. Could you design our invitations?\n\n' +
        'Thanks,\nLisa Grant',
    });
    expect(private_.client).toBeNull();
  });

  it('takes a known client by address, even on a free-mail address, and by domain', () => {
    const knownClients = [
      { id: 'cl_042', name: 'Harbour & Vine Ltd', emails: ['peter.lang@gmail.com'] },
      { id: 'cl_007', name: 'Kowhai Kindergarten Trust', domains: ['kowhaikindy.org.nz'] },
    ];
    const byAddress = read(
      {
        from: { name: 'Peter Lang', address: 'peter.lang@gmail.com' },
        text: 'Hi Sam,\n\nCould you send the label artwork by Friday?\n\nThanks,\nPeter',
      },
      { knownClients },
    );
    expect(byAddress.client).toMatchObject({ name: 'Harbour & Vine Ltd', clientId: 'cl_042' });
    expect(byAddress.client?.evidence[0]?.source).toBe('known-client');
    const byDomain = read(
      {
        from: { name: 'Aroha Smith', address: 'aroha@kowhaikindy.org.nz' },
        text: 'Hi Sam,\n\nCould you send the poster by Friday?\n\nThanks,\nAroha',
      },
      { knownClients },
    );
    expect(byDomain.client).toMatchObject({ name: 'Kowhai Kindergarten Trust', clientId: 'cl_007' });
  });
});

describe('findActions', () => {
  it('takes list items under "the following changes:" and keeps promises, conditions and boilerplate out', () => {
    const result = read({
      subject: 'Homepage changes',
      text:
        'Hi Sam,\n\nThanks for the new homepage. Could you please make the following changes:\n\n' +
        '- Replace the hero photo with the one attached\n- Change the button colour to our green\n' +
        "- Remove the testimonials section\n\nI'll send the new copy for the About page on Friday.\n\n" +
        "If the photo doesn't arrive, let me know.\n\n" +
        "Please don't hesitate to get in touch if you have any questions.\n\nBest,\nJane",
    });
    expect(result.actions.map((a) => a.text)).toEqual([
      '- Replace the hero photo with the one attached',
      '- Change the button colour to our green',
      '- Remove the testimonials section',
    ]);
    expect(result.actions.every((a) => a.owner === 'me')).toBe(true);
    expect(result.commitments).toEqual([
      expect.objectContaining({ owner: 'sender', text: "I'll send the new copy for the About page on Friday." }),
    ]);
    const span = result.commitments[0]!.span;
    expect(result.message.text.slice(span.start, span.end)).toBe(
      "I'll send the new copy for the About page on Friday.",
    );
  });

  it("merges a request with the sentence that gives its deadline, and keeps a third party's promise apart", () => {
    const result = read({
      subject: 'Credit note',
      text:
        "Hi Sam,\n\nCould you send a credit note for invoice 118? We'd need the credit note by the 19th for our " +
        'month-end.\n\nMaria will send you the new PO tomorrow.\n\nThanks,\nJane',
    });
    expect(result.actions).toEqual([
      expect.objectContaining({
        text: "Could you send a credit note for invoice 118? We'd need the credit note by the 19th for our month-end.",
        due: '2026-03-19',
      }),
    ]);
    expect(result.commitments.map((c) => [c.owner, c.text])).toEqual([
      ['other', 'Maria will send you the new PO tomorrow.'],
    ]);
  });

  it('tells requests from promises in French, Spanish, Dutch and German', () => {
    const cases = [
      [
        'claire@atelier-lumiere.fr',
        'Bonjour Sam,\n\nPourriez-vous nous envoyer le devis avant vendredi ? Je vous envoie les textes lundi.\n\nCordialement,\nClaire Dubois',
      ],
      [
        'lucia@estudio-sol.es',
        'Hola Sam,\n\n¿Podrías enviarme la factura antes del viernes? Te envío el presupuesto firmado el lunes.\n\nUn saludo,\nLucía Gómez',
      ],
      [
        'eva@bakkerij-vos.nl',
        'Hoi Sam,\n\nKun je de offerte voor vrijdag sturen? Ik stuur de teksten maandag.\n\nGroet,\nEva de Vos',
      ],
      [
        'jana@albrecht-kaffee.de',
        'Hallo Sam,\n\nKönnen Sie mir das Angebot bis Freitag schicken? Ich schicke Ihnen die Texte am Montag.\n\nViele Grüße\nJana Albrecht',
      ],
    ] as const;
    for (const [address, text] of cases) {
      const result = read({ from: { address }, sentAt: '2026-03-04T10:00:00+01:00', text });
      expect(result.actions).toHaveLength(1);
      expect(result.actions[0]?.due).toBe('2026-03-06');
      expect(result.commitments).toEqual([expect.objectContaining({ owner: 'sender' })]);
      expect(result.dates.map((d) => d.date)).toEqual(['2026-03-06', '2026-03-09']);
    }
  });

  it('classifies single sentences: requests, promises, a third party, conditions and boilerplate', () => {
    expect(ownerOf('Could you send the files by Friday?')).toBe('me');
    expect(ownerOf('We need the final files by 20 March.')).toBe('me');
    expect(ownerOf('What time works for you?')).toBe('me');
    expect(ownerOf("I'll send the new copy on Friday.")).toBe('sender');
    expect(ownerOf('Maria will send you the contracts tomorrow.')).toBe('other');
    expect(ownerOf("If it hasn't arrived by Friday, please let me know.")).toBeUndefined();
    expect(ownerOf('Please find attached the brief.')).toBeUndefined();
    expect(ownerOf('Please be advised that the invoice is overdue.')).toBeUndefined();
    expect(ownerOf('Please disregard this message if you have already paid.')).toBeUndefined();
    expect(ownerOf('We need a new website.')).toBeUndefined();
  });

  it('takes an instruction as a list item in French and German', () => {
    expect(ownerOf('Remplacer la photo principale', 'fr', true)).toBe('me');
    expect(ownerOf('Bitte das Logo vergrößern', 'de', true)).toBe('me');
  });

  it('keeps requests made to someone else in a forward only when the forwarder asks nothing', () => {
    const forwarded =
      '\n\n---------- Forwarded message ---------\nFrom: Peter Lang <peter@harbour-vine.co.uk>\n' +
      'Date: Mon, 2 Mar 2026 at 09:15\nSubject: Website\nTo: Jane Doe <jane@acme-studio.co.uk>\n\n' +
      'Hello Jane, could you send me your portfolio?\n\nPeter';
    const asking = read({ subject: 'Fwd: Website', text: `Hi Sam, could you reply to Peter directly?${forwarded}` });
    expect(asking.actions.map((a) => a.text)).toEqual(['Hi Sam, could you reply to Peter directly?']);
    const passing = read({ subject: 'Fwd: Website', text: `FYI, see below.${forwarded}` });
    expect(passing.actions.map((a) => a.text)).toEqual(['Hello Jane, could you send me your portfolio?']);
  });
});
