import { describe, expect, it } from 'vitest';
import { unexplainedDateMentions, unexplainedMoneyMentions } from '../../extraction/confidence/unexplained.ts';
import { cueMatches } from '../../extraction/intent/cues.ts';
import { intentFeatures, isWordFeature, type IntentEvidence } from '../../extraction/intent/features.ts';
import { loadModels } from '../../extraction/models/load.ts';
import type { MessageStructure } from '../../extraction/message/structure.ts';
import { read } from '../support/extraction-email.ts';

const evidence = (content: string, overrides: Partial<IntentEvidence> = {}): IntentEvidence => ({
  subject: '',
  content,
  opening: content,
  asks: '',
  language: 'en',
  phishingScore: 0,
  phishingReasons: [],
  reply: false,
  threadless: false,
  forward: false,
  quoted: false,
  form: false,
  relay: false,
  freeMail: false,
  dates: 0,
  amounts: 0,
  requests: 0,
  questions: 0,
  requestsWithDate: 0,
  movedDays: 0,
  dateRoles: [],
  timedDates: 0,
  ...overrides,
});

const newText = (text: string): MessageStructure => ({
  text,
  segments: [{ kind: 'new', start: 0, end: text.length }],
  hasQuote: false,
});

describe('intent cues by concept, in every language', () => {
  it.each([
    ['en', 'We have chosen another proposal for the cover.'],
    ['de', 'Der Vorstand hat sich für ein anderes Angebot entschieden.'],
    ['fr', 'Le conseil a finalement retenu une autre proposition.'],
    ['es', 'Al final hemos elegido otra propuesta.'],
    ['nl', 'We hebben uiteindelijk een andere offerte gekozen.'],
  ])('finds a decline in %s', (_language, text) => {
    expect(cueMatches(text).decline.length).toBeGreaterThan(0);
  });

  it.each([
    ['en', 'A friend gave me your name. What do you charge for a logo?'],
    ['de', 'Was verlangen Sie für ein Logo? Ich habe Ihren Namen von einer Kollegin.'],
    ['fr', "Une amie m'a donné votre nom : combien prenez-vous pour un logo ?"],
    ['es', 'Me pasaron tu contacto. ¿Cuánto cobras por un logo?'],
    ['nl', 'Ik kreeg je naam van een vriendin. Wat vraag je voor een logo?'],
  ])('finds a new enquiry about price or by referral in %s', (_language, text) => {
    expect(cueMatches(text).lead.length).toBeGreaterThan(0);
  });

  it.each([
    ['en', 'The grape should read Carménère, not Carmenere.'],
    ['de', 'Der Name muss heißen „Wilhelmine“, bitte überall so.'],
    ['fr', 'La légende doit indiquer 2025 plutôt que 2024.'],
    ['es', 'La cepa tiene que decir Carménère, con tilde.'],
    ['nl', 'De titel moet zijn "Zomer aan zee".'],
  ])('finds a correction in %s', (_language, text) => {
    expect(cueMatches(text).change.length).toBeGreaterThan(0);
  });

  it.each([
    ['en', "Could we add an FAQ page to what you're already writing?"],
    ['de', 'Können wir zusätzlich zum Projekt eine Seite ergänzen, wie besprochen?'],
    ['fr', 'On aimerait ajouter une page au site que tu es en train de terminer.'],
    ['es', 'Como hablamos, querríamos añadir subtítulos al vídeo.'],
    ['nl', 'Zoals besproken willen we een pagina toevoegen.'],
  ])('finds a reference to work already under way in %s', (_language, text) => {
    expect(cueMatches(text).ongoing.length).toBeGreaterThan(0);
  });

  it.each([
    ['en', "We're a family-run garden centre near Shrewsbury."],
    ['de', 'Wir sind ein kleines Weingut an der Mosel.'],
    ['fr', 'Nous sommes une association de randonnée à Namur.'],
    ['es', 'Somos una bodega familiar en La Rioja.'],
    ['nl', 'Wij zijn een fietsenwinkel in Utrecht.'],
  ])('finds a sender introducing themselves in %s', (_language, text) => {
    expect(cueMatches(text).introduces.length).toBeGreaterThan(0);
  });

  it('gives the model the role of each day taken and how many have a time', () => {
    const { features } = intentFeatures(
      evidence('Could we meet on Thursday at 2pm or Friday at 10?', {
        dateRoles: ['meeting', 'meeting'],
        timedDates: 2,
      }),
    );
    expect(features['role:meeting']).toBeCloseTo(Math.log1p(2));
    expect(features['n:timed']).toBeCloseTo(Math.log1p(2));
    expect(features['role:deadline']).toBeUndefined();
  });

  it('marks a "Re:" that names no thread it answers, only where the headers were kept', () => {
    const fake = intentFeatures(evidence('Just following up on my last email.', { reply: true, threadless: true }));
    expect(fake.features['fake-reply']).toBe(1);
    const real = intentFeatures(evidence('Thanks, that works.', { reply: true, threadless: false, quoted: true }));
    expect(real.features['fake-reply']).toBeUndefined();
  });

  it('gives the model purposes and structure, not the language', () => {
    const { features } = intentFeatures(evidence('Bonjour, voici la facture du mois.', { language: 'fr' }));
    expect(Object.keys(features).some((name) => name.startsWith('lang:'))).toBe(false);
    expect(features['cue:billing']).toBeGreaterThan(0);
  });

  it('ships a model that weighs no topic words (only corrections may add them)', () => {
    const shipped = loadModels().intent!;
    expect(Object.keys(shipped.weights).filter(isWordFeature)).toEqual([]);
  });
});

describe('intent with the shipped model, by purpose', () => {
  it('reads a French decline that thanks and mentions the quote as other, with no day', () => {
    const result = read({
      subject: "Votre offre pour l'identité visuelle",
      text:
        'Chère Madame, merci encore pour votre présentation et pour votre devis. Le conseil a finalement ' +
        'retenu une autre proposition, moins chère. La réunion prévue le mardi 10 mars est donc annulée. ' +
        'Nous penserons à vous pour le festival de l’an prochain.',
    });
    expect(result.intent.label).toBe('other');
    expect(result.dates).toEqual([]);
  });

  // Once a known weakness (read as `other` at 0.39 by the model of the 90 d3 dev emails); read right
  // again since the sender introducing themselves and the roles of days became features.
  it('reads a short Spanish first enquiry that asks the price as a lead', () => {
    const result = read({
      subject: 'Logo para mi pódcast',
      from: { name: 'Lucía Ortega', address: 'lucia.ortega@gmail.com' },
      text:
        'Hola, me pasaron tu contacto en el coworking. Estoy empezando un pódcast y necesito un logo y la ' +
        'portada. ¿Cuánto cobras por algo así? Nos gustaría lanzarlo en junio.\n\nLucía',
    });
    expect(result.intent.label).toBe('lead');
  });
});

describe('mentions the readers did not account for', () => {
  it('counts a weekday or numeric date no reader covered, in several languages', () => {
    const text = 'Can we meet on Thursday? Sonst passt auch der 12.03. Sinon demain.';
    expect(unexplainedDateMentions(newText(text), [])).toBe(3);
    const thursday = text.indexOf('Thursday');
    expect(unexplainedDateMentions(newText(text), [{ start: thursday, end: thursday + 8 }])).toBe(2);
  });

  it('counts currency signs, codes and names no amount covers', () => {
    const text = 'The fee is €1.200 plus 300 euros travel, or CHF 900.';
    const euro = text.indexOf('€');
    expect(unexplainedMoneyMentions(newText(text), [{ start: euro, end: euro + 6 }])).toBe(2);
  });

  it('ignores quoted history', () => {
    const text = 'Thanks!\n> On Friday 6 March you wrote: the fee is $500';
    const structure: MessageStructure = {
      text,
      segments: [
        { kind: 'new', start: 0, end: 7 },
        { kind: 'quoted', start: 8, end: text.length },
      ],
      hasQuote: true,
    };
    expect(unexplainedDateMentions(structure, [])).toBe(0);
    expect(unexplainedMoneyMentions(structure, [])).toBe(0);
  });
});
