import { describe, expect, it } from 'vitest';
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
