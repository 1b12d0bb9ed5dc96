import { describe, expect, it } from 'vitest';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { read } from '../support/extraction-email.ts';

// 2026-03-04 is a Wednesday.
const taken = (result: ExtractionResult) => result.dates.map((d) => d.date);
const ignoredAs = (result: ExtractionResult, reason: string) =>
  (result.ignoredDates ?? []).filter((d) => d.reason === reason).map((d) => d.date);

const german = { from: { name: 'Jana Albrecht', address: 'jana@albrecht-kaffee.de' } };
const french = { from: { name: 'Claire Dubois', address: 'claire@atelier-lumiere.fr' } };
const spanish = { from: { name: 'Lucía Gómez', address: 'lucia@estudio-sol.es' } };
const dutch = { from: { name: 'Eva de Vos', address: 'eva@bakkerij-vos.nl' } };

describe('extractEmail dates', () => {
  it("resolves tomorrow in the sender's UTC offset when the UTC day differs", () => {
    // 09:30 on 4 March in Auckland is 20:30 on 3 March in UTC.
    const result = read({
      from: { name: 'Aroha Smith', address: 'aroha@kowhai.co.nz' },
      sentAt: '2026-03-04T09:30:00+13:00',
      text: 'Kia ora Sam,\n\nCould you send the final files tomorrow?\n\nThanks,\nAroha',
    });
    expect(result.dates).toEqual([expect.objectContaining({ date: '2026-03-05', text: 'tomorrow' })]);
    expect(result.message.sentAt).toBe('2026-03-04T09:30:00+13:00');
  });

  it('resolves tomorrow late in the evening west of UTC to the next local day', () => {
    // 23:40 on 4 March in California is already 5 March in UTC.
    const result = read({
      from: { name: 'Jane Doe', address: 'jane@acme-design.com' },
      sentAt: '2026-03-04T23:40:00-08:00',
      text: 'Hi Sam,\n\nCould you send the files tomorrow?\n\nThanks,\nJane',
    });
    expect(taken(result)).toEqual(['2026-03-05']);
  });

  it('takes "Friday the 18th" as the next 18th that is a Friday', () => {
    const december = read({
      sentAt: '2026-12-09T09:30:00+00:00',
      text: 'Hi Sam,\n\nCan we meet on Friday the 18th to go through the drafts?\n\nThanks,\nJane',
    });
    expect(december.dates).toEqual([
      expect.objectContaining({ date: '2026-12-18', role: 'meeting', text: 'Friday the 18th' }),
    ]);
    // In March 2026 the 18th is a Wednesday; the next Friday the 18th is in September.
    const march = read({
      text: 'Hi Sam,\n\nCan we meet on Friday the 18th to go through the drafts?\n\nThanks,\nJane',
    });
    expect(taken(march)).toEqual(['2026-09-18']);
  });

  it('takes relative deadlines: in two weeks, within 10 working days, the end of next month', () => {
    const result = read({
      text:
        'Hi Sam,\n\nWe would like the first drafts in two weeks. Please deliver the final files within 10 working days, ' +
        'and send the invoice by the end of next month.\n\nThanks,\nJane',
    });
    // "in two weeks" and "within 10 working days" are both 18 March: one entry for the day.
    expect(result.dates.map((d) => [d.date, result.message.text.slice(d.span.start, d.span.end)])).toEqual([
      ['2026-03-18', 'in two weeks'],
      ['2026-04-30', 'the end of next month'],
    ]);
    expect(result.dates[1]?.role).toBe('deadline');
  });

  it('takes both ends of a range in English, French and German', () => {
    const english = read({
      text: 'Hi Sam,\n\nThe shoot is planned for 12–14 May in Bristol. Are you available?\n\nJane',
    });
    expect(english.dates.map((d) => [d.date, english.message.text.slice(d.span.start, d.span.end)])).toEqual([
      ['2026-05-12', '12–14 May'],
      ['2026-05-14', '12–14 May'],
    ]);
    const frenchRange = read({
      ...french,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Bonjour Sam,\n\nLe tournage aura lieu du 12 au 14 mai à Lyon. Êtes-vous disponible ?\n\nCordialement,\nClaire',
    });
    expect(taken(frenchRange)).toEqual(['2026-05-12', '2026-05-14']);
    // Written in December, May is next year's.
    const germanRange = read({
      ...german,
      sentAt: '2026-12-01T10:00:00+01:00',
      text: 'Hallo Sam,\n\ndas Fotoshooting findet vom 12. bis 14. Mai statt. Haben Sie Zeit?\n\nViele Grüße\nJana Albrecht',
    });
    expect(taken(germanRange)).toEqual(['2027-05-12', '2027-05-14']);
  });

  it('takes "bis zum 18. Dezember" in the middle of a sentence as the due day of the request', () => {
    const result = read({
      ...german,
      sentAt: '2026-12-01T10:00:00+01:00',
      text:
        'Hallo Sam,\n\nkönnen Sie uns die Entwürfe bitte bis zum 18. Dezember schicken, damit die Druckerei ' +
        'rechtzeitig anfangen kann?\n\nViele Grüße\nJana Albrecht',
    });
    expect(result.language).toBe('de');
    expect(result.dates).toEqual([
      expect.objectContaining({ date: '2026-12-18', role: 'deadline', text: '18. Dezember' }),
    ]);
    expect(result.actions).toHaveLength(1);
    expect(result.actions[0]?.text).toContain('bis zum 18. Dezember schicken');
    expect(result.actions[0]?.due).toBe('2026-12-18');
  });

  it('reads Dutch and Spanish deadlines', () => {
    const nl = read({
      ...dutch,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Hoi Sam,\n\nKun je de ontwerpen uiterlijk 20 maart sturen? De opening is op 2 april.\n\nMet vriendelijke groet,\nEva',
    });
    expect(nl.dates.map((d) => [d.date, d.role])).toEqual([
      ['2026-03-20', 'deadline'],
      ['2026-04-02', 'event'],
    ]);
    const es = read({
      ...spanish,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Hola Sam,\n\n¿Podrías enviarme el presupuesto antes del 20 de marzo?\n\nUn saludo,\nLucía',
    });
    expect(es.dates).toEqual([expect.objectContaining({ date: '2026-03-20', role: 'deadline' })]);
  });

  it('reads numeric dates month-first for a US sender and day-first for a UK sender', () => {
    const text = 'Hi Sam,\n\nCould you send the drafts by 03/04/2026? The launch is on 04/10/2026.\n\nThanks,\nJane';
    const us = read({
      from: { name: 'Jane Doe', address: 'jane@acme-design.us' },
      sentAt: '2026-02-20T10:00:00-05:00',
      text,
    });
    expect(taken(us)).toEqual(['2026-03-04', '2026-04-10']);
    const uk = read({ sentAt: '2026-02-20T10:00:00+00:00', text });
    expect(taken(uk)).toEqual(['2026-04-03', '2026-10-04']);
  });

  it('leaves out past events: yesterday, last Thursday, the call on Monday that went well', () => {
    const result = read({
      text:
        'Hi Sam,\n\nThanks for the call yesterday, and the workshop last Thursday was great. The call on Monday went ' +
        'well too. Could we meet again on Friday 13 March?\n\nBest,\nJane',
    });
    expect(taken(result)).toEqual(['2026-03-13']);
    expect(ignoredAs(result, 'past').sort()).toEqual(['2026-02-26', '2026-03-03', '2026-03-09']);
  });

  it('leaves out the day something began: since Friday, seit Montag, depuis lundi', () => {
    const english = read({
      text: 'Hi Sam,\n\nThe site has been live since Friday and bookings are up. Can we talk on Tuesday?',
    });
    expect(taken(english)).toEqual(['2026-03-10']);
    expect(ignoredAs(english, 'past')).toEqual(['2026-03-06']);
    const others = [
      read({ ...german, text: 'Hallo Sam,\n\nDie Seite läuft seit Montag ohne Probleme.' }),
      read({ ...french, text: 'Bonjour Sam,\n\nLe site tourne depuis lundi et tout va bien.' }),
      read({ ...dutch, text: 'Hoi Sam,\n\nDe site draait sinds maandag zonder problemen.' }),
    ];
    for (const result of others) expect(taken(result)).toEqual([]);
  });

  it('leaves out a weekday that repeats: every other Tuesday, jeden Montag, chaque lundi', () => {
    for (const result of [
      read({ text: 'Hi Sam,\n\nWe record every other Tuesday, so the edits can follow that rhythm.' }),
      read({ ...german, text: 'Hallo Sam,\n\nWir liefern jeden Montag neue Fotos.' }),
      read({ ...french, text: 'Bonjour Sam,\n\nNous publions chaque lundi une nouvelle recette.' }),
    ])
      expect(taken(result)).toEqual([]);
  });

  it('takes a weekday of next week in any order and language', () => {
    // Written on Wednesday 4 March: next week runs from Monday 9 to Sunday 15 March.
    expect(taken(read({ text: 'Hi Sam,\n\nCould we meet next week Thursday at 10?' }))).toEqual(['2026-03-12']);
    expect(taken(read({ ...german, text: 'Hallo Sam,\n\nPasst dir nächste Woche Donnerstag ab 9 Uhr?' }))).toEqual([
      '2026-03-12',
    ]);
    expect(taken(read({ ...french, text: 'Bonjour Sam,\n\nPeut-on se voir jeudi de la semaine prochaine ?' }))).toEqual(
      ['2026-03-12'],
    );
    expect(taken(read({ ...spanish, text: 'Hola Sam:\n\n¿Podemos vernos el jueves de la semana que viene?' }))).toEqual(
      ['2026-03-12'],
    );
  });

  it('leaves out a day said to be called off, in several languages, and takes the one proposed instead', () => {
    const inGerman = read({
      ...german,
      text: 'Hallo Sam,\n\nleider muss ich unseren Termin morgen absagen. Können wir ihn auf Montag, den 9. März, legen?',
    });
    expect(taken(inGerman)).toEqual(['2026-03-09']);
    const inFrench = read({
      ...french,
      text: 'Bonjour Sam,\n\nLe tournage ne pourra pas avoir lieu demain comme prévu. Propose plutôt vendredi 6 mars.',
    });
    expect(taken(inFrench)).toEqual(['2026-03-06']);
    const inSpanish = read({
      ...spanish,
      text: 'Hola Sam:\n\nEl martes 10 al final no voy a estar en Madrid. ¿Podemos vernos el jueves 12?',
    });
    expect(taken(inSpanish)).toEqual(['2026-03-12']);
  });

  it('reads "Thursday 11am" as a time on Thursday, not as the 11th', () => {
    const result = read({ text: 'Hi Sam,\n\nCould we meet on Thursday 11am at our office?' });
    expect(result.dates).toEqual([expect.objectContaining({ date: '2026-03-05', time: '11:00' })]);
  });

  it('takes "pasado mañana" as the day after tomorrow, not as a past day', () => {
    const result = read({ ...spanish, text: 'Hola Sam:\n\n¿Podrías enviarme las pruebas pasado mañana?' });
    expect(taken(result)).toEqual(['2026-03-06']);
  });

  it('leaves out the superseded day: "on the 18th rather than 11 December"', () => {
    const result = read({
      sentAt: '2026-12-01T10:00:00+00:00',
      text: 'Hi Sam,\n\nCould we do the workshop on the 18th rather than 11 December?\n\nThanks,\nJane',
    });
    expect(taken(result)).toEqual(['2026-12-18']);
    expect(ignoredAs(result, 'superseded')).toEqual(['2026-12-11']);
  });

  it('leaves out the superseded day in German: "am 18. statt am 11. Dezember"', () => {
    const result = read({
      ...german,
      sentAt: '2026-12-01T10:00:00+01:00',
      text: 'Hallo Sam,\n\nkönnten wir den Workshop bitte am 18. statt am 11. Dezember machen?\n\nViele Grüße\nJana Albrecht',
    });
    expect(taken(result)).toEqual(['2026-12-18']);
    expect(ignoredAs(result, 'superseded')).toEqual(['2026-12-11']);
  });

  it('leaves out the day a meeting is moved away from', () => {
    const dated = read({
      text: 'Hi Sam,\n\nWe have moved the call from Tuesday 10 March to Thursday 12 March. Same time.\n\nThanks,\nJane',
    });
    expect(taken(dated)).toEqual(['2026-03-12']);
    expect(ignoredAs(dated, 'superseded')).toEqual(['2026-03-10']);
    const instead = read({ text: 'Hi Sam,\n\nCan we move our call to Thursday instead of Tuesday?\n\nThanks,\nJane' });
    expect(taken(instead)).toEqual(['2026-03-05']);
    expect(ignoredAs(instead, 'superseded')).toEqual(['2026-03-10']);
    const verschoben = read({
      ...german,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Hallo Sam,\n\nkönnen wir den Termin von Dienstag auf Donnerstag verschieben?\n\nViele Grüße\nJana Albrecht',
    });
    expect(taken(verschoben)).toEqual(['2026-03-05']);
    expect(ignoredAs(verschoben, 'superseded')).toEqual(['2026-03-10']);
  });

  it('leaves out vague spans: mid-February and the week of the 11th', () => {
    const result = read({
      sentAt: '2026-01-05T10:00:00+00:00',
      text:
        'Hi Sam,\n\nWe are thinking of launching mid-February, maybe the week of the 11th. Could you send a quote?' +
        '\n\nThanks,\nJane',
    });
    expect(result.dates).toEqual([]);
    expect(ignoredAs(result, 'vague')).toEqual(['2026-01-11']);
  });

  it('leaves out a weekly schedule but takes the deadline next to it', () => {
    const result = read({
      text:
        'Hi Sam,\n\nThe shop is open Monday to Friday, so drop off the prints any time. Please bring them by 20 March.' +
        '\n\nThanks,\nJane',
    });
    expect(result.dates).toEqual([expect.objectContaining({ date: '2026-03-20', role: 'deadline' })]);
    expect(result.ignoredDates).toContainEqual(expect.objectContaining({ text: 'Monday to Friday', reason: 'vague' }));
  });

  it('leaves out dates in quoted history', () => {
    const result = read({
      subject: 'Re: Call',
      text:
        'Hi Sam,\n\nThursday at 10 works for me.\n\nBest,\nJane\n\n' +
        'On Tue, 3 Mar 2026 at 14:02, Sam Carter <sam@northwind.studio> wrote:\n' +
        '> Hi Jane,\n> could we do Friday 6 March or Monday 9 March instead? I need the brief by 20 March.\n> Sam',
    });
    expect(taken(result)).toEqual(['2026-03-05']);
    expect(ignoredAs(result, 'in quoted text').sort()).toEqual([
      '2026-03-03',
      '2026-03-06',
      '2026-03-09',
      '2026-03-20',
    ]);
  });

  it("leaves out the forward header's date and resolves the forwarded message's tomorrow from its own date", () => {
    const result = read({
      subject: 'Fwd: Website',
      text:
        'Hi Sam, see below.\n\n---------- Forwarded message ---------\n' +
        'From: Peter Lang <peter@harbour-vine.co.uk>\nDate: Mon, 2 Mar 2026 at 09:15\nSubject: Website\n' +
        'To: Jane Doe <jane@acme-studio.co.uk>\n\nHello Jane, could you call me tomorrow about the website? ' +
        'We need it live by 30 April.\n\nPeter',
    });
    expect(taken(result)).toEqual(['2026-03-03', '2026-04-30']);
    expect(ignoredAs(result, 'in forward-header text')).toEqual(['2026-03-02']);
  });

  it('does not read "por la mañana" as tomorrow, but does read "mañana por la mañana"', () => {
    const morningOnly = read({
      ...spanish,
      sentAt: '2026-03-04T10:00:00+01:00',
      text:
        'Hola Sam,\n\nEstoy disponible por la mañana casi todos los días. ¿Podrías enviarme el presupuesto antes del ' +
        '20 de marzo?\n\nUn saludo,\nLucía',
    });
    expect(taken(morningOnly)).toEqual(['2026-03-20']);
    const tomorrowMorning = read({
      ...spanish,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Hola Sam,\n\n¿Podrías llamarme mañana por la mañana?\n\nUn saludo,\nLucía',
    });
    expect(taken(tomorrowMorning)).toEqual(['2026-03-05']);
  });

  it('does not read "Guten Morgen" as tomorrow', () => {
    const result = read({
      ...german,
      sentAt: '2026-03-04T10:00:00+01:00',
      text: 'Hallo Sam,\n\nGuten Morgen! Anbei die Texte für die Broschüre.\n\nViele Grüße\nJana Albrecht',
    });
    expect(result.dates).toEqual([]);
  });

  it('reads an invoice dated 22 October, written on 10 November, as past', () => {
    const result = read({
      subject: 'Invoice',
      sentAt: '2026-11-10T10:00:00+00:00',
      text:
        'Hi Sam,\n\nI am writing about your invoice dated 22 October. Could you resend it with our PO number?' +
        '\n\nThanks,\nJane',
    });
    expect(result.dates).toEqual([]);
    expect(ignoredAs(result, 'past')).toEqual(['2026-10-22']);
  });

  it('takes "today by 5pm" but not the message day mentioned in passing', () => {
    const result = read({
      text: 'Hi Sam,\n\nCould you send the signed contract today by 5pm? Thanks for the chat today.\n\nBest,\nJane',
    });
    expect(result.dates).toEqual([expect.objectContaining({ date: '2026-03-04', role: 'deadline' })]);
    expect(ignoredAs(result, 'message-day')).toEqual(['2026-03-04']);
  });
});
