// Organisation names: how to compare them, and how to tell one from a person, a title or a label.

const legalSuffixes =
  /(?:,?\s+(?:ltd\.?|limited|llc|l\.l\.c\.|inc\.?|incorporated|corp\.?|corporation|plc|llp|lp|pty\.?(?:\s+ltd\.?)?|gmbh(?:\s*&\s*co\.?\s*kg)?|ag|ug(?:\s*\(haftungsbeschränkt\))?|e\.\s?k\.|kg|ohg|gbr|mbb|partg(?:\s+mbb)?|e\.\s?v\.|sarl|s\.a\.r\.l\.|sas|sasu|eurl|s\.?a\.?(?:\s+de\s+c\.?\s?v\.?)?|s\.?l\.?u?\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|b\.?v\.?|n\.?v\.?|vof|v\.o\.f\.|cv|c\.v\.|bvba|sprl|co\.?|& co\.?|oy|ab|as|a\/s|aps))+\.?$/i;

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

/** "Jo Bloggs", "María José García": two to four capitalised words and nothing organisation-like. */
export function looksLikePersonName(line: string): boolean {
  const trimmed = line.trim().replace(/[,.]$/, '');
  if (hasLegalSuffix(trimmed) || looksLikeTitle(trimmed)) return false;
  const words = trimmed.split(/\s+/);
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
