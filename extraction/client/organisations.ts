// Organisation names: how to compare them, and how to tell one from a person, a title or a label.

const legalSuffixes =
  /(?:,?\s+(?:ltd\.?|limited|llc|l\.l\.c\.|inc\.?|incorporated|corp\.?|corporation|plc|llp|lp|pty\.?(?:\s+ltd\.?)?|gmbh(?:\s*&\s*co\.?\s*kg)?|ag|ug(?:\s*\(haftungsbeschränkt\))?|e\.\s?k\.|kg|ohg|gbr|mbb|partg(?:\s+mbb)?|e\.\s?v\.|sarl|s\.a\.r\.l\.|sas|sasu|eurl|s\.?a\.?(?:\s+de\s+c\.?\s?v\.?)?|s\.?l\.?u?\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|b\.?v\.?|n\.?v\.?|vof|v\.o\.f\.|cv|c\.v\.|bvba|sprl|vzw|asbl|v\.z\.w\.|a\.s\.b\.l\.|e\.v\.|ggmbh|mbh|scp|selarl|ltda|cía|a\.c\.|co\.?|& co\.?|oy|ab|as|a\/s|aps)(?:\/(?:vzw|asbl))?)+\.?$/i;

/** Words that name a kind of organisation: a line with one is not a person's name. */
export const organisationWords =
  /(?<![\p{L}])(?:museum|gallery|trust|union|bank|credit|insurance|society|council|association|school|college|university|academy|clinic|practice|hospital|health|studio|studios|bakery|brewery|brewing|distillery|roasters|coffee|cafe|café|restaurant|bistro|hotel|inn|group|partners|foundation|charity|centre|center|club|company|agency|design|media|films|press|books|publishing|records|architects|lawyers|solicitors|accountants|consulting|consultants|labs|kitchen|farm|estate|wines|winery|homes|realty|properties|logistics|freight|physio|physiotherapy|dental|dentistry|dentists|orthodontics|veterinary|vets|pharmacy|opticians|surgery|chiropractic|pediatrics|paediatrics|law|legal|landscaping|plumbing|electrical|roofing|cleaning|catering|events|photography|florist|florists|nursery|kindergarten|daycare|preschool|montessori|yoga|fitness|gym|church|theatre|theater|festival|library|marina|rescue|housing|building|construction|services|solutions|systems|software|digital|interiors|outdoor|gear|shop|store|boutique|salon|collective|cooperative|co-op|network|institute|federation|league|team|stichting|verein|praxis|zahnarztpraxis|kanzlei|verlag|atelier|agentur|büro|gasthof|weingut|brauerei|bäckerei|werkstatt|genossenschaft|stiftung|schule|hochschule|klinik|steuerberatung|domaine|maison|cabinet|société|groupe|association|école|librairie|boulangerie|editorial|estudio|despacho|bodegas|conservas|muebles|asociados|fundación|clínica|grupo|woonzorgcentrum|kinderboerderij|bibliotheek|vereniging|bouw|logistiek|schrijnwerkerij|talenhuis|gemeente|hogeschool)(?![\p{L}])/iu;

export function hasLegalSuffix(name: string): boolean {
  return legalSuffixes.test(name.trim());
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

/** Lines of a signature that are contact details, not names. */
export function looksLikeContact(line: string): boolean {
  if (/@|https?:|www\.|\.(?:com|de|fr|es|nl|co\.uk|org|net|io)\b/i.test(line)) return true;
  if ((line.match(/\d/g) ?? []).length >= 5) return true; // phone, postcode + street number
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
  /^(?:-+|n\/?a|none|nil|no|private|privat|privatperson|particulier|particular|particuliere|individual|self|self-employed|freelance|\.+)$/i;

export function meaninglessValue(value: string): boolean {
  return noValue.test(value.trim());
}
