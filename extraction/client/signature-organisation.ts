// Which part of a signature line names the organisation: "Head of Marketing, Acme Ltd" → "Acme
// Ltd"; "Vrije Basisschool De Regenboog" (shaped like a person's name) when the sender's domain
// shares its words; "Office de Tourisme Cœur de Vendée" (a title word inside) when the domain
// spells most of it.
import {
  hasLegalSuffix,
  looksLikeContact,
  looksLikePersonName,
  looksLikeTitle,
  organisationWords,
  orgKey,
  withoutLegalSuffix,
} from './organisations.ts';

export interface LineContext {
  senderName?: string | undefined;
  /** The sender's own domain stem in letters and digits ("vbsderegenboog"), when not free-mail. */
  stem?: string | undefined;
}

const fold = (word: string) =>
  word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** A word of five letters or more that the sender's domain also holds and that is not the sender's own name. */
function sharesDomainWord(text: string, context: LineContext): boolean {
  if (!context.stem) return false;
  const own = new Set((context.senderName ?? '').split(/\s+/).map(fold));
  return text
    .split(/[\s&/-]+/)
    .map(fold)
    .some((word) => word.length >= 5 && !own.has(word) && context.stem!.includes(word));
}

/**
 * "Brandt Elektrotechnik" signed by Lukas Brandt, "Pasticceria Bianchi" by Giulia Bianchi: the
 * sender's family name with a word that is not their given name, in the sender's own signature.
 */
function familyBusiness(text: string, context: LineContext): boolean {
  const own = (context.senderName ?? '').split(/\s+/).map(fold).filter(Boolean);
  const words = text.split(/\s+/).map(fold).filter(Boolean);
  if (own.length < 2 || words.length < 2) return false;
  const surname = own.at(-1)!;
  const others = words.filter((word) => word !== surname);
  // "G. Bianchi", "Dr Bianchi" are the sender again.
  if (others.length === 0 || others.some((word) => word.length < 3 || own.includes(word))) return false;
  return words[0] === surname || words.at(-1) === surname;
}

/** A line shaped like a person's name that the context shows is the organisation. */
export function vouchedNameShape(text: string, context: LineContext): boolean {
  return sharesDomainWord(text, context) || familyBusiness(text, context);
}

function clean(line: string): string {
  return line
    .trim()
    .replace(/^[-–—|•·]+\s*/, '')
    .replace(/\s*[|•·]+$/, '');
}

export function organisationInLine(line: string, context: LineContext): string | undefined {
  const trimmed = clean(line);
  if (!trimmed || trimmed.length > 80 || looksLikeContact(trimmed)) return undefined;
  // "Entry ID: 4471", "Submitted: …": a label and its value, not a name.
  if (/^[\p{L}\p{N} ]{2,30}:\s/u.test(trimmed)) return undefined;
  if (context.senderName && orgKey(trimmed) === orgKey(context.senderName)) return undefined;
  // "Northbeam Analytics, Inc.": the comma before a legal form divides nothing.
  const core = withoutLegalSuffix(trimmed);
  if (core !== trimmed && core.length >= 2 && !/[,|•·–—]|\s-\s/.test(core) && !looksLikeTitle(core)) return trimmed;
  const parts = trimmed.split(/\s*(?:[,|•·–—]|\s-\s|\bat\b|\bbei\b|\bchez\b|\bde la\b|\bbij\b)\s*/i).filter(Boolean);
  if (parts.length > 1) {
    // "Maison des Langues – Talenhuis asbl/vzw": one organisation in two languages, its legal form at the end.
    if (hasLegalSuffix(trimmed) && !parts.some((part) => looksLikeTitle(part) || looksLikePersonName(part)))
      return trimmed;
    const org = parts.find((part) => !looksLikeTitle(part) && !looksLikePersonName(part) && /\p{Lu}/u.test(part));
    if (!org) return undefined;
    const organisationShaped = hasLegalSuffix(org) || organisationWords.test(org) || /\s&\s/.test(org);
    if (parts.some(looksLikeTitle) || organisationShaped) return org.trim();
    return undefined;
  }
  if (looksLikeTitle(trimmed) && !hasLegalSuffix(trimmed)) return undefined;
  if (hasLegalSuffix(trimmed)) return trimmed;
  if (looksLikePersonName(trimmed)) return vouchedNameShape(trimmed, context) ? trimmed : undefined;
  const words = trimmed.split(/\s+/);
  // A line that ends like a sentence or a salutation ("Geachte ondernemer,") is prose.
  if (words.length <= 6 && /^\p{Lu}/u.test(trimmed) && !/[.!?,:]$/.test(trimmed)) return trimmed;
  return undefined;
}

const connector = /^(?:&|and|und|et|y|en|of|de|du|des|la|le|del|van|von|der|den|the|für|d'|l')$/iu;

/**
 * The whole line when the domain's spelling of the organisation is most of it and the rest is a
 * few capitalised words ("Office de" + "Tourisme Cœur de Vendée", "Eikenhof" + "Guest House"):
 * a signature line that names nothing else.
 */
export function lineAroundSpelling(line: string, spelled: string, context: LineContext): string | undefined {
  const trimmed = clean(line);
  if (!trimmed.includes(spelled) || trimmed.length > 80 || looksLikeContact(trimmed)) return undefined;
  if (/[,|•·:;!?]|\s[-–—]\s/.test(trimmed) || /\.$/.test(trimmed.replace(/\b\p{Lu}{1,3}\.$/u, ''))) return undefined;
  if (context.senderName && orgKey(trimmed).includes(orgKey(context.senderName))) return undefined;
  const rest = trimmed.replace(spelled, ' ').split(/\s+/).filter(Boolean);
  if (rest.length === 0 || rest.length > 3) return undefined;
  return rest.every((word) => connector.test(word) || /^\p{Lu}/u.test(word)) ? trimmed : undefined;
}
