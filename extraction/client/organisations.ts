// Organisation names: how to compare them, and how to tell one from a person, a title or a label.

const legalSuffixes =
  /(?:,?\s+(?:ltd\.?|limited|llc|l\.l\.c\.|inc\.?|incorporated|corp\.?|corporation|plc|llp|lp|pty\.?(?:\s+ltd\.?)?|gmbh(?:\s*&\s*co\.?\s*kg)?|ag|ug(?:\s*\(haftungsbeschränkt\))?|e\.\s?k\.|kg|ohg|gbr|mbb|partg(?:\s+mbb)?|e\.\s?v\.|sarl|s\.a\.r\.l\.|sas|sasu|eurl|s\.?a\.?(?:\s+de\s+c\.?\s?v\.?)?|s\.?l\.?u?\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|b\.?v\.?|n\.?v\.?|vof|v\.o\.f\.|cv|c\.v\.|bvba|sprl|vzw|asbl|v\.z\.w\.|a\.s\.b\.l\.|e\.v\.|ggmbh|mbh|scp|selarl|ltda|cía|a\.c\.|co\.?|& co\.?|oy|ab|as|a\/s|aps|s\.?r\.?o\.?|a\.s\.|sp\.?\s+z\s+o\.?\s?o\.?|kft\.?|zrt\.?|nyrt\.?|d\.o\.o\.|d\.d\.|pvt\.?|pte\.?|sdn\.?|bhd\.?|k\.k\.|lda\.?|e\.\s?u\.|s\.?l\.?p\.?|s\.?c\.?p\.?|scop|snc|s\.n\.c\.|s[aà]rl|sagl|cic|pllc|p\.c\.|pbc|asa|o[uü]|uab|sia|s\.?a\.?s\.?|ky)(?:\/(?:vzw|asbl))?)+\.?$/i;

/** Words that name a kind of organisation: a line with one is not a person's name. */
const organisationWordList =
  'museum|gallery|trust|union|bank|credit|insurance|society|council|association|school|college|university|academy|clinic|practice|hospital|health|studio|studios|bakery|brewery|brewing|distillery|roasters|coffee|cafe|café|restaurant|bistro|hotel|inn|group|partners|foundation|charity|centre|center|club|company|agency|design|media|films|press|books|publishing|records|architects|lawyers|solicitors|accountants|consulting|consultants|labs|kitchen|farm|estate|wines|winery|homes|realty|properties|logistics|freight|physio|physiotherapy|dental|dentistry|dentists|orthodontics|veterinary|vets|pharmacy|opticians|surgery|chiropractic|pediatrics|paediatrics|law|legal|landscaping|plumbing|electrical|roofing|cleaning|catering|events|photography|florist|florists|nursery|kindergarten|daycare|preschool|montessori|yoga|fitness|gym|church|theatre|theater|festival|library|marina|rescue|housing|building|construction|services|solutions|systems|software|digital|interiors|outdoor|gear|shop|store|boutique|salon|collective|cooperative|co-op|network|institute|federation|league|team|stichting|verein|praxis|zahnarztpraxis|kanzlei|verlag|atelier|agentur|büro|gasthof|weingut|brauerei|bäckerei|werkstatt|genossenschaft|stiftung|schule|hochschule|klinik|steuerberatung|domaine|maison|cabinet|société|groupe|association|école|librairie|boulangerie|editorial|estudio|despacho|bodegas|conservas|muebles|asociados|fundación|clínica|grupo|woonzorgcentrum|kinderboerderij|bibliotheek|vereniging|bouw|logistiek|schrijnwerkerij|talenhuis|gemeente|hogeschool|asociación|associação|associazione|iglesia|église|kirche|kerk|parroquia|parish|ministries|comunidad|community|ayuntamiento|mairie|gemeinde|colegio|escuela|instituto|universidad|université|universität|università|farmacia|pharmacie|apotheke|restaurante|hôtel|hostal|taller|talleres|construcciones|construções|costruzioni|bâtiment|immobilier|inmobiliaria|seguros|abogados|avocats|rechtsanwälte|notaría|notaire|arquitectos|architectes|architekten|consultores|conseil|beratung|ingeniería|ingénierie|transportes|transports|removals|builders|contractors|joinery|motors|garage|travel|tours|investments|capital|ventures|holdings|enterprises|industries|manufacturing|supplies|trading|imports|exports|analytics|technologies|robotics|energy|foods|apparel|fashion|jewellery|jewelry|cosmetics|pharma|biotech|therapeutics|medical|nursing|funeral|hermanos|frères|fratelli|söhne|zonen'.split(
    '|',
  );

export const organisationWords = new RegExp(`(?<![\\p{L}])(?:${organisationWordList.join('|')})(?![\\p{L}])`, 'iu');

/** "brooksmedia" → ["brooks", "media"]: a domain stem's last word when it names a kind of organisation. */
export function splitOrganisationWord(stem: string): string[] {
  const word = organisationWordList
    .filter((w) => /^[a-z-]+$/.test(w) && w.length >= 3 && stem.length - w.length >= 3 && stem.endsWith(w))
    .sort((a, b) => b.length - a.length)[0];
  return word ? [stem.slice(0, -word.length), word] : [stem];
}

/** German and Dutch write the kind of organisation into one word: "Yogastudio", "Elektrotechnik", "Fietsenmakerij". */
const organisationCompound =
  /\p{L}{3,}(?:studio|praxis|werkstatt|bäckerei|baeckerei|metzgerei|tischlerei|schreinerei|gärtnerei|druckerei|kanzlei|verlag|agentur|büro|schule|klinik|zentrum|technik|handel|service|gruppe|atelier|makerij|winkel|bedrijf|kantoor|praktijk|centrum|bureau)(?![\p{L}])/iu;

export function hasLegalSuffix(name: string): boolean {
  return legalSuffixes.test(name.trim());
}

/** "Northbeam Analytics, Inc." → "Northbeam Analytics". */
export function withoutLegalSuffix(name: string): string {
  return name.trim().replace(legalSuffixes, '').trim();
}

/** A comparable key: lower case, no accents, "&" as "and", no legal form, letters and digits only. */
export function orgKey(name: string): string {
  return name
    .trim()
    .replace(legalSuffixes, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/^the\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function sameOrganisation(a: string, b: string): boolean {
  const x = orgKey(a);
  const y = orgKey(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.length >= 4 && long.startsWith(short) && short.length / long.length >= 0.5;
}

const titleWords =
  /\b(?:owner|co-?owner|founder|co-?founder|director|managing|manager|head|lead|chief|ceo|cfo|coo|cto|cmo|president|partner|principal|officer|coordinator|co-ordinator|assistant|associate|executive|administrator|admin|secretary|treasurer|chair|editor|producer|designer|developer|consultant|accountant|bookkeeper|marketing|sales|operations|finance|accounts|payable|receivable|procurement|purchasing|buyer|hr|office|communications|comms|events|project|programme|program|senior|junior|teacher|headteacher|curator|librarian|solicitor|lawyer|attorney|paralegal|specialist|analyst|engineer|architect|chef|barista|team|department|dept|inhaber(?:in)?|geschäftsführer(?:in)?|leiter(?:in)?|leitung|referent(?:in)?|assistenz|buchhaltung|einkauf|vertrieb|prokurist(?:in)?|vorstand|gérant(?:e)?|directeur|directrice|responsable|chargé(?:e)?|comptabilité|assistante?|fondateur|fondatrice|président(?:e)?|director(?:a)?|gerente|responsable|jefe|jefa|coordinador(?:a)?|contabilidad|administración|fundador(?:a)?|eigenaar|directeur|oprichter|medewerker|boekhouding|administratie|hoofd|manager)\b/i;

export function looksLikeTitle(line: string): boolean {
  return titleWords.test(line);
}

// Street addresses in the languages the mail comes in: "Hauptstr. 5", "14 Shop Street", "rue des
// Lilas 12", "Av. Corrientes 1250", "Keizersgracht 100", "Dorp Street, Stellenbosch", "P.O. Box 12".
const streetAddress = [
  /\p{L}(?:str\.|straße|strasse|straat|weg|laan|gasse|platz|allee|plein|gracht|kade|damm|ufer|steig|markt|dijk|singel)\s*\d/iu,
  /\b\d{1,5}[a-z]?,?\s+(?:[\p{L}'’.-]+\s+){0,4}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|place|pl|close|crescent|court|ct|terrace|parade|highway|hwy|square|sq)\b\.?/iu,
  // "rue des Lilas", "Calle de Alcalá 12": a street word, then a lower-case particle or a number.
  /^(?:\d{1,4}[a-z]?,?\s+)?(?:[Rr]ue|[Aa]v\.?|[Aa]vda\.?|[Aa]venue|[Aa]venida|[Cc]alle|[Cc]\/|[Pp]laza|[Pp]aseo|[Cc]arrer|[Vv]ia|[Vv]iale|[Pp]iazza|[Cc]hemin|[Aa]llée|[Bb]oulevard|[Bb]d|[Qq]uai|[Ii]mpasse|[Pp]lace|[Rr]ua|[Pp]raça)\s+(?:\p{Ll}|.*\d)/u,
  /\b(?:street|road|avenue|lane|drive|boulevard)\s*,/i,
  /\b(?:p\.?\s?o\.?\s+box|postfach|apartado|postbus|bp)\s+\d/i,
];

/** Lines of a signature that are contact details, not names. */
export function looksLikeContact(line: string): boolean {
  if (/@|https?:|www\.|\.(?:com|de|fr|es|nl|co\.uk|org|net|io)\b/i.test(line)) return true;
  if ((line.match(/\d/g) ?? []).length >= 5) return true; // phone, postcode + street number
  if (streetAddress.some((pattern) => pattern.test(line))) return true;
  return /^(?:t|tel|phone|mob|mobile|m|fax|p|e|w|web|email|e-mail|adresse?|address|dirección|telefon|telefoon|tél)\s*[.:]/i.test(
    line.trim(),
  );
}

const personTitle =
  /^(?:dr|dra|prof|ing|lic|mag|dipl\.?-?\w*|mr|mrs|ms|miss|mx|herr|frau|m|mme|mlle|sr|sra|srta|dhr|mevr|med|dent|phil|rer|nat)\.?$/i;

/** "Jo Bloggs", "Dr. Rachel Lin", "María José García": a few capitalised words, nothing organisation-like. */
export function looksLikePersonName(line: string): boolean {
  const trimmed = line.trim().replace(/[,.]$/, '');
  if (hasLegalSuffix(trimmed) || looksLikeTitle(trimmed) || organisationWords.test(trimmed)) return false;
  if (organisationCompound.test(trimmed)) return false;
  const all = trimmed.split(/\s+/);
  const words = all.filter((word) => !personTitle.test(word));
  // One word is a name only with a title ("Dr. Paz"); "Tussock" alone is an organisation.
  if (words.length === 0 || (words.length === 1 && all.length === 1)) return false;
  if (words.length < 1 || words.length > 4) return false;
  return words.every((word) =>
    /^(?:\p{Lu}[\p{Ll}'’-]+|\p{Lu}\.|de|van|von|der|den|la|le|del|da|di|y|ten|ter|op)$/u.test(word),
  );
}

const noValue =
  /^(?:[-–—/.]+|n\/?a|n\.a\.|none|nil|no|not applicable|no company|just me|myself|personal|private(?: person| individual)?|privat|privatperson|privatkunde|keine(?: angabe)?|k\.\s?a\.|particulier|particulière|privé|aucune?|particular|privado|ninguna?|ninguno|particuliere|privé|geen|n\.v\.t\.?|nvt|individual|self|self-employed|freelance|freelancer|sole trader)$/i;

export function meaninglessValue(value: string): boolean {
  return noValue.test(value.trim());
}
