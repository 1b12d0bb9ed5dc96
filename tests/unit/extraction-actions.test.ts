import { describe, expect, it } from 'vitest';
import { classifySentence } from '../../extraction/actions/find-actions.ts';
import { read } from '../support/extraction-email.ts';

const actionsOf = (text: string, subject = 'Hello') => read({ subject, text }).actions.map((a) => a.text);

describe('action items: lists of changes', () => {
  it('takes every item of a list introduced as changes, worded as an order or as the state wanted', () => {
    const actions = actionsOf(
      'Hi Sam,\n\nWe looked at the flyer, a few changes please:\n\n' +
        '1. Cover: the headline should be in bold.\n' +
        '2. The opening hours are now 9 to 5 on Saturdays.\n' +
        '3. Back page: swap the map for the new one.\n\nThanks,\nJane',
    );
    expect(actions).toHaveLength(3);
    expect(actions.join(' ')).toMatch(/headline.*opening hours.*map/s);
  });

  it('reads change lists in German, Spanish and Dutch', () => {
    const german = actionsOf(
      'Hallo Sam,\n\nfolgende Punkte müssten noch geändert werden:\n\n' +
        '- Die Telefonnummer im Impressum ist veraltet.\n- Das Foto vom Team ist zu dunkel.\n\nGruß\nJana',
    );
    expect(german.join(' ')).toMatch(/Telefonnummer.*Foto/s);
    const spanish = actionsOf(
      'Hola Sam:\n\nTenemos que cambiar un par de cosas:\n\n' +
        '1. El precio del menú del día es 14 €.\n2. El horario del domingo, de 12 a 16.\n\nSaludos,\nLucía',
    );
    expect(spanish).toHaveLength(2);
    const dutch = actionsOf(
      'Hoi Sam,\n\nNog een paar wijzigingen:\n\n- de kop mag iets groter;\n- het adres klopt niet meer.\n\nGroet,\nEva',
    );
    expect(dutch.join(' ')).toMatch(/kop.*adres/s);
  });

  it('reads a list whose introduction lacks its colon', () => {
    const actions = actionsOf(
      'Salut Sam,\n\nVoici nos retours\n\n- agrandir le logo\n- corriger le numéro de téléphone\n\nBises,\nLéa',
    );
    expect(actions.join(' ')).toMatch(/logo.*téléphone/s);
  });

  it("keeps a forwarded list of changes that the forwarder's request points at", () => {
    const actions = actionsOf(
      'Sam,\n\nSee below. Can you make these changes by Friday?\n\n' +
        '---------- Forwarded message ---------\nFrom: Ola Berg <ola@printhouse.no>\n' +
        'Date: Tue, 3 Mar 2026 at 09:12\nSubject: Proof corrections\nTo: Jane Doe <jane@acme-studio.co.uk>\n\n' +
        'Hello Jane,\n\nCorrections to the proof:\n\n1. The bleed must be 3 mm on every side.\n' +
        '2. Convert the logo to CMYK.\n\nOla\n',
      'Fwd: Proof corrections',
    );
    expect(actions.join(' ')).toMatch(/changes.*bleed.*CMYK/s);
  });

  it('keeps one action per item when an item says what is wrong and then asks', () => {
    const actions = actionsOf(
      'Hi Sam,\n\nTwo fixes for the site:\n\n' +
        '- The booking form still sends to my old address. Can you point it to desk@acme-studio.co.uk?\n' +
        '- Please add the new menu PDF.\n\nJane',
    );
    expect(actions).toHaveLength(2);
    expect(actions[0]).toMatch(/booking form.*point it/);
  });

  it("leaves the sender's own promise in a list to the sender", () => {
    const result = read({
      text: 'Hi Sam,\n\nA few changes:\n\n- Make the logo smaller.\n- I will send the new photos tomorrow.\n\nJane',
    });
    expect(result.actions.map((a) => a.text)).toEqual(['- Make the logo smaller.']);
    expect(result.commitments.map((c) => c.owner)).toContain('sender');
  });

  it('does not treat a question after a label as a form field', () => {
    const actions = actionsOf('Hi Sam,\n\nOne small thing: could the header be white on mobile?\n\nJane');
    expect(actions.join(' ')).toMatch(/header be white/);
  });
});

describe('action items: asks worded as needs, thanks in advance and proposals', () => {
  it('takes each item of a list of what the sender needs from the operator', () => {
    const actions = actionsOf(
      'Hi Jordan,\n\nBefore I can release payment I need two things from you:\n\n1. A completed W-9\n' +
        '2. Our ACH enrollment form, with a voided check\n\nThanks,\nPam',
    );
    expect(actions).toEqual([expect.stringContaining('W-9'), expect.stringContaining('ACH')]);
  });

  it('takes a request worded as thanks in advance, in several languages', () => {
    for (const text of [
      'We would be grateful if the revised invoice reached us by Friday.',
      'Le agradeceremos nos envíe el complemento de pago antes del día 10.',
      'Je vous serais reconnaissant de corriger la facture.',
      'Wir wären Ihnen dankbar, wenn Sie die Rechnung korrigieren.',
      'We zouden het op prijs stellen als u de factuur aanpast.',
    ])
      expect(actionsOf(`Hello,\n\n${text}\n\nBest regards`), text).toHaveLength(1);
  });

  it('takes a proposal or a permission question as something to answer', () => {
    expect(actionsOf('Hoi Joris,\n\nZullen we volgende week een kennismakingsgesprek plannen?\n\nGroet')).toHaveLength(
      1,
    );
    expect(actionsOf('Beste Bas,\n\nMogen we het rapport ook delen met onze leverancier?\n\nGroet')).toHaveLength(1);
    expect(actionsOf('Hallo,\n\nDürfen wir die Fotos auch auf Instagram zeigen?\n\nGrüße')).toHaveLength(1);
  });
});

describe('action items: one request, said in parts', () => {
  it('joins a question about a time with the ask to confirm it, in several languages', () => {
    expect(
      actionsOf(
        'Hi Sam,\n\nCould you do Thursday at 3pm instead? Our room is booked. Please confirm by tomorrow.\n\nJane',
      ),
    ).toHaveLength(1);
    expect(
      actionsOf(
        'Hallo Sam,\n\nWelcher der beiden Termine passt Ihnen besser? Bitte geben Sie mir bis Freitag Bescheid.\n\nJana',
      ),
    ).toHaveLength(1);
    expect(
      actionsOf('Hoi Sam,\n\nKunnen we dinsdag om 14.00 uur bellen? Wil je even bevestigen of dat lukt?\n\nEva'),
    ).toHaveLength(1);
  });

  it('keeps an "also" request apart even when it shares a word with the one before', () => {
    const actions = actionsOf(
      'Hi Sam,\n\nCan we move the brochure shoot to Friday? Also, please send the brochure invoice for March.\n\nJane',
    );
    expect(actions).toHaveLength(2);
  });

  it('joins a wish to understand with the explicit request that follows it', () => {
    const actions = actionsOf(
      "Hi Sam,\n\nThe launch slipped again. I'd like to understand what went wrong. " +
        'Could you send us a short timeline by Monday?\n\nJane',
    );
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatch(/understand.*timeline/);
  });
});

describe('action items: what is not a request', () => {
  it("skips a form's questions used as labels but keeps the request in the answer", () => {
    const actions = actionsOf(
      'You have a new response\n\nWhat is your name?\nLea Wong\n\nWhat is your email?\nlea@wong-tea.com\n\n' +
        'Company\nWong Tea House\n\nHow can we help?\nWe need a new menu design. Could you send a quote?\n',
      'New response: Contact',
    );
    expect(actions).toEqual(['Could you send a quote?']);
    const inline = actionsOf('Name: Lea Wong\nEmail: lea@wong-tea.com\nHow can we help?: Could you call me back?\n');
    expect(inline.join(' ')).not.toMatch(/How can we help/);
  });

  it('skips small talk questions', () => {
    const actions = actionsOf('Hola Sam, ¿cómo va?\n\nNecesito que me mandes la factura antes del viernes.\n\nLucía');
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatch(/factura/);
  });

  it('reads polite requests in Dutch, Spanish and French', () => {
    expect(
      actionsOf('Dag Sam,\n\nGelieve de factuur naar boekhouding@acme.be te sturen.\n\nGroeten,\nEva'),
    ).toHaveLength(1);
    expect(actionsOf('Hola Sam:\n\nFavor de enviar la factura en PDF y XML.\n\nSaludos')).toHaveLength(1);
    expect(
      actionsOf("Bonjour Sam,\n\nMerci d'indiquer notre numéro de commande sur la facture.\n\nCordialement"),
    ).toHaveLength(1);
    expect(actionsOf('Buenas tardes:\n\n¿Me confirma la reunión del jueves?\n\nSaludos')).toHaveLength(1);
  });

  it('reads a correction that opens its paragraph as a change, beside explicit requests', () => {
    const actions = actionsOf(
      'Dear Sam,\n\nA few corrections to chapter 2.\n\nOur mother was born in 1931, not 1933. She would mind.\n\n' +
        'Please also cut the paragraph about the storm.\n\nBest,\nRuth',
    );
    expect(actions.join(' ')).toMatch(/1931.*storm/s);
    // Inside a paragraph it argues for the request after it; alone, it only sets a fact straight.
    expect(
      actionsOf('Hi Sam,\n\nOur tracker shows 38 hours, not 42. Could you check your timesheets?\n\nJane'),
    ).toHaveLength(1);
    expect(actionsOf('Hi Sam,\n\nThe meeting was on Tuesday, not Monday.\n\nJane')).toHaveLength(0);
  });

  it('reads joint proposals and passive requests as asks', () => {
    const ownerOf = (text: string, language: string) =>
      classifySentence({ text, start: 0, end: text.length, kind: 'new', listItem: false, listIntro: false, language })
        ?.owner;
    expect(ownerOf("Let's get the kickoff on the calendar.", 'en')).toBe('me');
    expect(ownerOf('Interested parties are requested to submit their offer by 2 June.', 'en')).toBe('me');
    expect(ownerOf('Bieter werden gebeten, ihr Angebot bis 2. Juni einzureichen.', 'de')).toBe('me');
    expect(ownerOf('Inschrijvers worden verzocht hun offerte voor 2 juni in te dienen.', 'nl')).toBe('me');
  });

  it('reads "Het gaat om…" as a statement, not as someone else\'s promise', () => {
    const result = read({
      text: 'Hoi Sam,\n\nKun je een creditnota sturen? Het gaat om € 200. Graag ontvang ik de creditnota voor vrijdag.\n',
    });
    expect(result.commitments.filter((c) => c.owner === 'other')).toHaveLength(0);
  });
});

describe('action items: who is to act', () => {
  it("leaves the sender's promise to the sender even when it names what is sent", () => {
    const result = read({
      text: "Hi Sam,\n\nI'll send over the signed contract by Thursday. Could you book the venue for the 20th?\n\nJane",
    });
    expect(result.actions.map((a) => a.text)).toEqual(['Could you book the venue for the 20th?']);
    expect(result.commitments.map((c) => c.owner)).toEqual(['sender']);
  });

  it('keeps an outright ask inside a sentence about the sender’s plans', () => {
    const actions = actionsOf("Hi Sam,\n\nI'll send the draft tonight, could you check the figures in it?\n\nJane");
    expect(actions).toHaveLength(1);
  });

  it('reads a German need with the verb before its subject as a request with a deadline', () => {
    const actions = actionsOf(
      'Hallo Sam,\n\nEs fehlt noch die Seite mit den Preisen, die bräuchten wir bis spätestens 1. April.\n\nGruß\nJana',
    );
    expect(actions.join(' ')).toMatch(/Preisen/);
  });

  it('takes every item of a list whose items mostly ask', () => {
    const actions = actionsOf(
      'Hi Sam,\n\nAfter our call, a few things from us:\n\n- Could you send the contract?\n' +
        "- We'd like the shoot on the 20th if that suits.\n- Please bring the release forms.\n\nJane",
    );
    expect(actions).toHaveLength(3);
    expect(actions.join(' ')).toMatch(/shoot/);
  });
});

describe('action items: text that reads on its own', () => {
  it('joins the sentence that names what "it" or "both" points back at', () => {
    const [action] = actionsOf(
      'Hi Sam,\n\nYour March invoice still shows the old day rate. Can you correct it and send it again?\n\nJane',
    );
    expect(action).toMatch(/March invoice.*correct it/);
    const [both] = actionsOf(
      'Hallo Sam,\n\nDie Rechnungen 112 und 113 haben keine Bestellnummer. Können Sie beide neu ausstellen?\n\nJana',
    );
    expect(both).toMatch(/112 und 113/);
  });

  it('joins a second slot or a preference offered after a proposal', () => {
    const [action] = actionsOf('Hi Sam,\n\nCan we do Monday at 9am? Or Tuesday, same time.\n\nJane');
    expect(action).toMatch(/Monday.*Tuesday/);
    const [spanish] = actionsOf('Hola Sam:\n\n¿Podrías llamarme mañana a las 9:00? Si no, el lunes a la misma hora.\n');
    expect(spanish).toMatch(/lunes/);
  });

  it('reads "if you could…" as a polite request, not a condition', () => {
    expect(
      actionsOf('Hi Sam,\n\nIf you could bring the printed proofs on Thursday, that would help.\n\nJane'),
    ).toHaveLength(1);
    expect(actionsOf('Hi Sam,\n\nIf the parcel has not arrived, let me know.\n\nJane')).toHaveLength(0);
  });

  it('reads a need with a time limit as a request, in several languages', () => {
    expect(actionsOf('Hi Sam,\n\nWe need the proposal within 10 working days.\n\nJane')).toHaveLength(1);
    expect(actionsOf('Hola Sam:\n\nNecesitamos la propuesta dentro de 15 días hábiles.\n\nLucía')).toHaveLength(1);
    expect(actionsOf('Hallo Sam,\n\nWir brauchen das Angebot innerhalb von zwei Wochen.\n\nJana')).toHaveLength(1);
  });
});
