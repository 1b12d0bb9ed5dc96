import { describe, expect, it } from 'vitest';
import { loadModels } from '../../extraction/models/load.ts';
import { findClient, type KnownClient } from '../../extraction/client/find-client.ts';
import { hasLegalSuffix, looksLikeContact } from '../../extraction/client/organisations.ts';
import { structureOf } from '../../extraction/message/structure.ts';
import { read } from '../support/extraction-email.ts';

const from = (name: string, address: string) => ({ name, address });

describe('client from a signature without a stock sign-off', () => {
  it.each([
    {
      language: 'de',
      sender: from('Katrin Lindner', 'k.lindner@lindner-holzbau.de'),
      text:
        'Guten Morgen Herr Carter,\n\nkönnten Sie uns bis Freitag ein Angebot schicken?\n\nBis dahin und danke vorab!\n\n' +
        'Katrin Lindner\nProkuristin\nHolzbau Lindner GmbH & Co. KG\nAm Sägewerk 4 · 87509 Immenstadt',
      client: 'Holzbau Lindner GmbH & Co. KG',
    },
    {
      language: 'en',
      sender: from('Johan de Villiers', 'bookings@eikenhof.co.za'),
      text:
        'Hi Sam,\n\nCould you update the room rates on the site this week?\n\nBaie dankie,\nJohan\n\n' +
        'Johan de Villiers\nOwner\nEikenhof Guest House\nDorp Street, Stellenbosch',
      client: 'Eikenhof Guest House',
    },
    {
      language: 'fr',
      sender: from('Geneviève Roy', 'administration@theatreboisjoli.qc.ca'),
      text:
        'Bonjour Sam,\n\nPeux-tu ajouter tes numéros de taxes sur la facture?\n\nBonne fin de journée,\n\n' +
        'Geneviève Roy\nDirectrice administrative\nThéâtre du Bois-Joli\n2245, rue Beaubien Est, Montréal',
      client: 'Théâtre du Bois-Joli',
    },
    {
      language: 'es',
      sender: from('Ezequiel Ferreyra', 'eferreyra@estudioferreyra.com.ar'),
      text:
        'Buenas noches:\n\nNecesitamos la traducción de un contrato antes del 30 de octubre.\n\nDesde ya, muchas gracias.\n\n' +
        'Dr. Ezequiel Ferreyra\nFerreyra & Asociados - Abogados\nAv. Corrientes 1250, piso 7',
      client: 'Ferreyra & Asociados',
    },
  ])('reads the block from the sender’s name line ($language)', ({ sender, text, client }) => {
    const result = read({ from: sender, text });
    expect(result.client?.name).toBe(client);
    expect(result.client?.evidence.map((e) => e.source)).toContain('signature');
  });

  it('does not take a letterhead or a greeting as the signature', () => {
    const result = read({
      from: from('Register Ondernemingen', 'administratie@register-ondernemingen.example'),
      text: 'Register Ondernemingen\nGeachte ondernemer,\n\nWij verzoeken u de bijdrage te voldoen.',
    });
    expect(result.client?.name).not.toBe('Geachte ondernemer');
  });
});

describe('organisation names shaped like a person’s name', () => {
  it('takes one when the sender’s domain holds its words (nl)', () => {
    const result = read({
      from: from('Hilde Verhoeven', 'directie@vbs-deregenboog.be'),
      text:
        'Beste Sam,\n\nKunt u ons de illustraties in hoge resolutie bezorgen?\n\nMet vriendelijke groeten,\n' +
        'Hilde Verhoeven\nDirecteur\nVrije Basisschool De Regenboog\nKerkstraat 41 · 3000 Leuven',
    });
    expect(result.client?.name).toBe('Vrije Basisschool De Regenboog');
  });

  it('takes one built on the sender’s family name, even from free mail (de, it)', () => {
    const result = read({
      from: from('Lukas Brandt', 'lukas.brandt@web.de'),
      text:
        'Hallo Sam,\n\nkönnen Sie uns ein Angebot für Visitenkarten schicken?\n\nSchönen Tag noch\n' +
        'Lukas Brandt\nBrandt Elektrotechnik\nHauptstr. 5\n80331 München',
    });
    expect(result.client?.name).toBe('Brandt Elektrotechnik');
    const it = read({
      from: from('Giulia Bianchi', 'giulia.bianchi@libero.it'),
      text:
        'Buongiorno Sam,\n\nvorremmo un preventivo per le nuove etichette.\n\nCordiali saluti\n' +
        'Giulia Bianchi\nPasticceria Bianchi\nVia Garibaldi 21, Torino',
    });
    expect(it.client?.name).toBe('Pasticceria Bianchi');
  });

  it('does not take the sender’s own name written another way as a family business (it)', () => {
    const result = read({
      from: from('Giulia Bianchi', 'giulia.bianchi@libero.it'),
      text: 'Buongiorno Sam,\n\nva bene giovedì?\n\nCordiali saluti\nG. Bianchi',
    });
    expect(result.client).toBeNull();
  });

  it('leaves a private person with free mail as no client (en, fr)', () => {
    for (const [sender, text] of [
      [
        from('Amelia Clarke', 'amelia.clarke@gmail.com'),
        'Hi Sam,\n\nAre you free for a family portrait in April?\n\nThanks!\nAmelia Clarke',
      ],
      [
        from('Paul Martin', 'paul.martin@orange.fr'),
        'Bonjour,\n\nPouvez-vous refaire mon logo ?\n\nMerci,\nPaul Martin',
      ],
    ] as const) {
      expect(read({ from: sender, text }).client).toBeNull();
    }
  });
});

describe('other sources of the client', () => {
  it('reads a form field in a column beside its label (nl, Tally)', () => {
    const result = read({
      subject: 'Nieuwe inzending: Offerteaanvraag',
      from: from('Tally', 'notifications@tally.so'),
      replyTo: [from('Sanne Bakker', 'sanne.bakker84@gmail.com')],
      text:
        'Nieuwe inzending voor Offerteaanvraag\n\nNaam            Sanne Bakker\nE-mail          sanne.bakker84@gmail.com\n' +
        'Bedrijfsnaam    Bakkerij Van Dam\nBericht         Kunt u mij een offerte sturen?',
    });
    expect(result.client?.name).toBe('Bakkerij Van Dam');
    expect(result.client?.evidence[0]?.source).toBe('form');
  });

  it('follows the Reply-To when an assistant writes for another organisation (en)', () => {
    const result = read({
      from: from('Olivia Grant', 'olivia@waikatoea.co.nz'),
      replyTo: [from('Mark Taylor', 'mark@taylorandsons.co.nz')],
      text:
        'Kia ora Sam,\n\nI’m writing on behalf of Mark Taylor, Managing Director of Taylor & Sons Builders. Could you ' +
        'confirm a meeting on Thursday?\n\nNga mihi,\nOlivia Grant\nExecutive Assistant to Mark Taylor\n' +
        'Taylor & Sons Builders Ltd\n\nOlivia Grant | Virtual Assistant Services | Waikato EA Co.',
    });
    expect(result.client?.name).toBe('Taylor & Sons Builders Ltd');
    expect(result.client?.evidence.map((e) => e.source)).toContain('reply-to');
  });

  it('names no client for a platform’s notice whatever its Reply-To (Calendly)', () => {
    const result = read({
      subject: 'Canceled: Ryan Okafor and Sam Carter',
      from: from('Calendly', 'notifications@calendly.com'),
      replyTo: [from('Ryan Okafor', 'ryan@tidepoolhealth.io')],
      text: 'Hi Sam,\n\nThe event below has been canceled.\n\nEvent type: Discovery call\nInvitee: Ryan Okafor',
    });
    expect(result.client).toBeNull();
  });

  it('reads a role at an organisation as a self-introduction (en, es)', () => {
    const en = read({
      from: from('Lisa Wong', 'lisa.wong@icloud.com'),
      text: 'Hi Sam,\n\nI’m the events coordinator at Riverside Community Church — we need flyers. Could you help?\n\nLisa',
    });
    expect(en.client?.name).toBe('Riverside Community Church');
    const es = read({
      from: from('Ana López', 'ana.lopez@hotmail.es'),
      text: 'Hola Sam,\n\nsoy Ana, de la Asociación Vecinal San Blas. Queremos un cartel para las fiestas.\n\nGracias',
    });
    expect(es.client?.name).toBe('Asociación Vecinal San Blas');
  });

  it('ends a self-introduction at the end of its sentence (es, de)', () => {
    const es = read({
      from: from('Isabel García', 'isabel@gmail.com'),
      text: 'Hola Sam:\n\nTe escribo en nombre de la Fundación Mar Abierto. Queremos un vídeo.\n\nUn abrazo,\nIsabel',
    });
    expect(es.client?.name).toBe('Fundación Mar Abierto');
    const de = read({
      from: from('Lena Fischer', 'lena.fischer@gmx.de'),
      text: 'Hallo Sam,\n\nich bin Inhaberin vom Yogastudio Lotus in Köln und suche eine neue Website.\n\nLiebe Grüße\nLena',
    });
    expect(de.client?.name).toBe('Yogastudio Lotus');
  });
});

describe('names from a domain alone, and form labels', () => {
  it('spells a domain the way an organisation writes itself where the domain shows the words', () => {
    const name = (address: string) =>
      read({ from: from('Dan Brooks', address), text: 'Sam - works for me, see you Thursday.\n\nSent from my iPhone' })
        .client?.name;
    expect(name('dan@brooksmedia.com')).toBe('Brooks Media');
    expect(name('dan@hallandpartners.co.uk')).toBe('Hall & Partners');
    expect(name('dan@kaffeekontor-albrecht.de')).toBe('Kaffeekontor Albrecht');
  });

  it('names no organisation from a domain that is the sender’s own name (en, nl)', () => {
    for (const [sender, text] of [
      [from('Aoife Byrne', 'aoife@byrne.ie'), 'Hi Sam,\n\nWould you help with our kitchen design?\n\nAoife'],
      [from('Jan de Boer', 'mail@jandeboer.nl'), 'Hoi Sam,\n\nHeb je volgende week tijd voor een kop koffie?\n\nJan'],
    ] as const)
      expect(read({ from: sender, text }).client).toBeNull();
  });

  it.each([
    ['Company / Organisation (optional)', 'Acme Foods Ltd', 'Acme Foods Ltd'],
    ["Nom de l'entreprise", 'Les Jardins de Marie', 'Les Jardins de Marie'],
    ['Nombre de la empresa *', 'Cafés Altura', 'Cafés Altura'],
    ['Firma', 'Keine Angabe', null],
    ['Bedrijfsnaam', 'n.v.t.', null],
  ])('reads the form field "%s"', (label, value, client) => {
    const result = read({
      subject: 'New submission',
      from: from('Webflow', 'no-reply-forms@webflow.com'),
      replyTo: [from('Alex Moreau', 'alex.moreau@gmail.com')],
      text: `New form submission\n\nName: Alex Moreau\nEmail: alex.moreau@gmail.com\n${label}: ${value}\nMessage: Could you send a quote for a logo?\n`,
    });
    expect(result.client?.name ?? null).toBe(client);
  });
});

describe('client from the sender’s own signature in the history of a reply', () => {
  it('reads it when the reply from free mail has none (en, de)', () => {
    const en = read({
      subject: 'Re: Quote',
      from: from('Jane Doe', 'jane.doe.design@gmail.com'),
      text:
        'Sounds good, go ahead!\n\nOn Tue, 3 Mar 2026 at 09:12, Sam Carter <sam@northwind.studio> wrote:\n' +
        '> Hi Jane, the quote is attached.\n>\n> On Mon, 2 Mar 2026, Jane Doe <jane.doe.design@gmail.com> wrote:\n' +
        '>> Hi Sam, could you quote for a brochure?\n>>\n>> Jane Doe\n>> Marketing Manager\n>> Oakridge Dental Practice\n',
    });
    expect(en.client?.name).toBe('Oakridge Dental Practice');
    expect(en.client?.evidence[0]?.source).toBe('quoted-signature');
    const de = read({
      subject: 'AW: Angebot',
      from: from('Jürgen Maier', 'j.maier@t-online.de'),
      text:
        'Passt, danke!\n\nAm 02.03.2026 um 10:00 schrieb Sam Carter <sam@northwind.studio>:\n> Hallo Herr Maier, anbei das Angebot.\n>\n' +
        '> Am 01.03.2026 schrieb Jürgen Maier:\n>> Jürgen Maier\n>> Geschäftsführer\n>> Maier Metallbau GmbH\n',
    });
    expect(de.client?.name).toBe('Maier Metallbau GmbH');
  });

  it('never takes the operator’s signature from the history', () => {
    const result = read({
      subject: 'Re: Devis',
      from: from('Pierre Lefèvre', 'p.lefevre@wanadoo.fr'),
      text:
        'Parfait, merci !\n\nLe lun. 2 mars 2026 à 10:00, Sam Carter <sam@northwind.studio> a écrit :\n' +
        '> Bonjour Pierre, voici le devis.\n> Sam Carter\n> Northwind Studio\n',
    });
    expect(result.client).toBeNull();
  });
});

describe('names and addresses', () => {
  it('knows legal forms of many countries', () => {
    for (const name of [
      'Novak Consulting s.r.o.',
      'Kowalski Meble Sp. z o.o.',
      'Tatva Retail Pvt. Ltd.',
      'Lim & Tan Pte. Ltd.',
      'Tischlerei Gruber e.U.',
      'Clínica Dental Sonrisa Norte S.L.P.',
      'Maison des Langues – Talenhuis asbl/vzw',
      'Northbeam Analytics, Inc.',
    ])
      expect(hasLegalSuffix(name), name).toBe(true);
    expect(hasLegalSuffix('Sky')).toBe(false);
  });

  it('keeps a legal form after a comma with its name in a signature', () => {
    const result = read({
      from: from('Jane Doe', 'jane@northbeam.io'),
      text: 'Hi Sam,\n\nCan you send the logo files?\n\nThanks,\nJane\n\nJane Doe | Head of Brand\nNorthbeam Analytics, Inc.\n',
    });
    expect(result.client?.name).toBe('Northbeam Analytics, Inc.');
  });

  it('tells street addresses from names in five languages', () => {
    for (const line of [
      'Hauptstr. 5',
      '14 Shop Street, Galway',
      'rue des Lilas 12',
      'Keizersgracht 100',
      'Calle de Alcalá 12',
    ])
      expect(looksLikeContact(line), line).toBe(true);
    for (const line of ['Brandt Elektrotechnik', 'Place Vendôme Partners', 'Park Street Studio'])
      expect(looksLikeContact(line), line).toBe(false);
  });
});

describe('client certainty', () => {
  const find = (sender: { name: string; address: string }, text: string, known: KnownClient[] = []) =>
    findClient({
      structure: structureOf(text, 'Hello'),
      from: sender,
      replyTo: [],
      to: [from('Sam Carter', 'sam@northwind.studio')],
      cc: [],
      known,
    });
  const fatima = from('Fatima Zahra', 'fatima@atlas-tours.ma');

  it('is high when the domain spells the signature’s name, low for a name read from a domain alone', () => {
    const agreeing = find(
      fatima,
      'Bonjour Sam,\n\nÊtes-vous disponible jeudi ?\n\nCordialement,\nFatima Zahra\nResponsable marketing\nAtlas Tours SARL',
    );
    const domainOnly = find(fatima, 'Bonjour Sam,\n\nÊtes-vous disponible jeudi ?\n\nFatima');
    expect(agreeing?.name).toBe('Atlas Tours SARL');
    expect(domainOnly?.name).toBe('Atlas Tours');
    expect(agreeing!.certainty).toBeGreaterThan(0.85);
    expect(domainOnly!.certainty).toBeLessThan(0.5);
  });

  it('is near certain for a client the source of truth knows by domain', () => {
    const known = find(fatima, 'Bonjour Sam,\n\nMerci !\n\nFatima', [
      { id: 'c-1', name: 'Atlas Tours SARL', domains: ['atlas-tours.ma'] },
    ]);
    expect(known?.clientId).toBe('c-1');
    expect(known?.certainty).toBeGreaterThanOrEqual(0.99);
  });

  it('clears the shipped client threshold for a sender the source of truth knows by address', () => {
    const threshold = loadModels().calibration!.fields.client.threshold;
    const result = read(
      { from: fatima, text: 'Bonjour Sam,\n\nMerci !\n\nFatima' },
      { knownClients: [{ id: 'c-1', name: 'Atlas Tours SARL', emails: [fatima.address] }] },
    );
    expect(result.client?.clientId).toBe('c-1');
    expect(result.client!.confidence).toBeGreaterThanOrEqual(Math.min(threshold, 0.999));
    expect(result.reasons.join(' ')).not.toContain('the client');
  });

  it('drops when the Reply-To asks answers to go to a domain that backs nothing found', () => {
    const text =
      'Hello Sam,\n\nPlease settle the attached invoice today.\n\nRegards,\nHelen Marsh\nAccounts\nNorthlight Films Ltd';
    const plain = find(from('Helen Marsh', 'helen.marsh@northlightfilms.co'), text);
    const stray = findClient({
      structure: structureOf(text, 'Invoice'),
      from: from('Helen Marsh', 'helen.marsh@northlightfilms.co'),
      replyTo: [from('Helen Marsh', 'helen.marsh.nlf@outlook-secure.net')],
      to: [from('Sam Carter', 'sam@northwind.studio')],
      cc: [],
      known: [],
    });
    expect(stray?.name).toBe(plain?.name);
    expect(stray!.certainty).toBeLessThan(plain!.certainty);
  });

  it('drops when a rival organisation is nearly as well supported', () => {
    const rivalled = find(
      from('Olivia Grant', 'olivia@waikatoea.co.nz'),
      'Hi Sam,\n\nCan we meet Thursday?\n\nThanks,\nOlivia Grant\nExecutive Assistant\nTaylor & Sons Builders Ltd\n\n' +
        'Olivia Grant | Virtual Assistant Services | Waikato EA Co.',
    );
    expect(rivalled!.certainty).toBeLessThan(0.9);
  });
});
