// The organisation the sender speaks for: a known client (by address, domain or name), the
// company field of a web form, the signature, the sender's own domain, or how they introduce
// themselves. Never the operator's own business, a relay, a person, or a form label.
import type { Mailbox } from '../message/email-input.ts';
import { kindAt, type MessageStructure } from '../message/structure.ts';
import { spellingOfStem } from './domain-spelling.ts';
import { domainOfAddress, domainStem, isFreeMail, isRelay } from './domains.ts';
import {
  hasLegalSuffix,
  looksLikeContact,
  looksLikePersonName,
  looksLikeTitle,
  meaninglessValue,
  organisationWords,
  orgKey,
  sameOrganisation,
} from './organisations.ts';

export interface KnownClient {
  id: string;
  name: string;
  emails?: string[];
  domains?: string[];
}

export type ClientSource = 'known-client' | 'form' | 'signature' | 'domain' | 'domain-only' | 'display-name' | 'text';

export interface ClientEvidence {
  source: ClientSource;
  text: string;
  start?: number;
  end?: number;
}

export interface ClientFinding {
  name: string;
  clientId?: string;
  /** How a known client was matched: an address or domain the source of truth holds is certain. */
  knownBy?: 'address' | 'domain' | 'name';
  evidence: ClientEvidence[];
}

export interface ClientInput {
  structure: MessageStructure;
  from?: Mailbox;
  replyTo: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  known: KnownClient[];
}

interface Candidate {
  name: string;
  evidence: ClientEvidence[];
}

const weights: Record<ClientSource, number> = {
  'known-client': 6,
  form: 3,
  signature: 2,
  domain: 3,
  'domain-only': 1,
  'display-name': 2,
  text: 2,
};

// "Company: Acme", or the value on the line below its label (Gravity Forms, Wix, Squarespace).
const formLabel =
  /^[ \t]*(?:company(?: name)?|organi[sz]ation(?: name)?|business(?: name)?|brand|firm|practice|school|venue|firma|firmenname|unternehmen|organisation|société|entreprise|structure|raison sociale|empresa|compañía|negocio|bedrijf(?:snaam)?|organisatie)[ \t]*:[ \t]*(?:(?<value>[^\n]+)|\n[ \t]*(?<below>[^\n:]+))$/gimu;

const selfIntroduction =
  /(?:\b(?:we are|we're|i am|i'm|here at|on behalf of|i run|we run|i own|i work (?:at|for)|owner of|founder of|director of|manager at|writing from|wir sind|ich bin [^.\n]{0,40}? (?:bei|von)|im namen (?:von|der)|nous sommes|je suis [^.\n]{0,40}? (?:chez|de)|au nom de|somos|soy [^.\n]{0,40}? (?:de|en)|en nombre de|wij zijn|ik ben [^.\n]{0,40}? (?:van|bij)|namens)\s+)(?<org>(?:the\s+)?\p{Lu}[\p{L}\p{N}'’.&-]*(?:\s+(?:&|and|of|de|du|des|la|le|del|van|von|für|für|\p{Lu}[\p{L}\p{N}'’.&-]*)){0,5})/gu;

/** "kaffeekontor-albrecht.de" → "Kaffeekontor Albrecht": the best a domain alone says. */
function nameOfDomain(domain: string): string {
  return domainStem(domain)
    .split(/[-_]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

/** "kowhaikindy" abbreviates "kowhaikindergartentrust": same first letters, the rest in order. */
function abbreviates(stem: string, key: string): boolean {
  if (stem.length < 6 || key.length < stem.length || stem.slice(0, 3) !== key.slice(0, 3)) return false;
  let at = 0;
  for (const ch of key) if (ch === stem[at]) at += 1;
  return at === stem.length;
}

/** "Lena & Tim" when Lena Hoffmann writes: the sender's own name, not an organisation. */
function namesSender(candidate: string, senderName: string | undefined): boolean {
  if (!senderName || hasLegalSuffix(candidate) || organisationWords.test(candidate)) return false;
  const names = senderName
    .split(/\s+/)
    .filter((n) => n.length >= 3)
    .map((n) => n.toLowerCase());
  return candidate.split(/[\s&,]+/).some((word) => names.includes(word.toLowerCase()));
}

/** The operator is who the mail is to: not the Cc'd (often the sender's colleagues), not the sender's own domain. */
function operatorKeys(to: Mailbox[], senderDomain: string): string[] {
  const keys = new Set<string>();
  // Mail between the operator's own addresses (an assistant forwarding an enquiry): the shared domain is theirs.
  const external = to.filter((m) => domainOfAddress(m.address) !== senderDomain);
  for (const mailbox of external.length > 0 ? external : to) {
    const domain = domainOfAddress(mailbox.address);
    if (domain && !isFreeMail(mailbox.address)) keys.add(domainStem(domain).replace(/[^\p{L}\p{N}]/gu, ''));
    if (mailbox.name) {
      const key = orgKey(mailbox.name);
      if (key.length >= 4) keys.add(key);
      const surname = mailbox.name.trim().split(/\s+/).at(-1);
      if (surname && surname.length >= 4) keys.add(orgKey(surname));
    }
  }
  return [...keys].filter((key) => key.length >= 3);
}

function isOperators(name: string, keys: string[]): boolean {
  const key = orgKey(name);
  return keys.some((op) => key.includes(op) || (key.length >= 4 && op.includes(key)));
}

/** Lines of the sender's own signature (a forwarded message's signature is someone else's). */
function signatureLines(structure: MessageStructure): { line: string; start: number }[] {
  const out: { line: string; start: number }[] = [];
  structure.segments.forEach((segment, index) => {
    if (segment.kind !== 'signature') return;
    if (structure.segments[index - 1]?.kind === 'forwarded') return;
    let at = segment.start;
    for (const line of structure.text.slice(segment.start, segment.end).split('\n')) {
      out.push({ line, start: at });
      at += line.length + 1;
    }
  });
  return out;
}

/** The organisation part of a signature line: "Head of Marketing, Acme Ltd" → "Acme Ltd". */
function organisationInLine(line: string, senderName: string | undefined): string | undefined {
  const trimmed = line
    .trim()
    .replace(/^[-–—|•·]+\s*/, '')
    .replace(/\s*[|•·]+$/, '');
  if (!trimmed || trimmed.length > 80 || looksLikeContact(trimmed)) return undefined;
  // "Entry ID: 4471", "Submitted: …": a label and its value, not a name.
  if (/^[\p{L}\p{N} ]{2,30}:\s/u.test(trimmed)) return undefined;
  if (senderName && orgKey(trimmed) === orgKey(senderName)) return undefined;
  const parts = trimmed.split(/\s*(?:[,|•·–—]|\s-\s|\bat\b|\bbei\b|\bchez\b|\bde la\b|\bbij\b)\s*/i).filter(Boolean);
  if (parts.length > 1) {
    const org = parts.find((part) => !looksLikeTitle(part) && !looksLikePersonName(part) && /\p{Lu}/u.test(part));
    if (org && (parts.some(looksLikeTitle) || hasLegalSuffix(org))) return org.trim();
    return undefined;
  }
  if (looksLikeTitle(trimmed) && !hasLegalSuffix(trimmed)) return undefined;
  if (hasLegalSuffix(trimmed)) return trimmed;
  if (looksLikePersonName(trimmed)) return undefined;
  const words = trimmed.split(/\s+/);
  if (words.length <= 6 && /^\p{Lu}/u.test(trimmed) && !/[.!?]$/.test(trimmed)) return trimmed;
  return undefined;
}

export function findClient(input: ClientInput): ClientFinding | undefined {
  const { structure } = input;
  const text = structure.text;
  const relay = isRelay(input.from?.address);
  const sender = relay ? (input.replyTo[0] ?? input.from) : input.from;
  const opKeys = operatorKeys(input.to, domainOfAddress(sender?.address));
  const senderAddress = sender?.address;
  const senderName = sender?.name;
  const candidates: Candidate[] = [];
  const add = (name: string, evidence: ClientEvidence) => {
    // A final full stop belongs to an abbreviation ("S.A.", "Co."), not to a sentence.
    const clean = name
      .trim()
      .replace(/[\s,;:]+$/, '')
      .replace(/(?<!(?:^|[^\p{L}])\p{L}{1,3})\.$/u, '')
      .replace(/^the\s+/i, (w) => (hasLegalSuffix(name) ? w : ''));
    if (clean.length < 2 || meaninglessValue(clean) || isOperators(clean, opKeys)) return;
    // A name the sender's domain spells, or a form's company field, is an organisation whatever its shape.
    const trusted = ['domain', 'domain-only', 'form', 'known-client'].includes(evidence.source);
    if (!trusted && (looksLikePersonName(clean) || namesSender(clean, senderName))) return;
    if (isRelay(`x@${clean.toLowerCase().replace(/\s+/g, '')}.com`)) return;
    const existing = candidates.find((candidate) => sameOrganisation(candidate.name, clean));
    if (existing) {
      existing.evidence.push(evidence);
      // The longer spelling (with its legal form) is how the organisation writes itself.
      if (clean.length > existing.name.length && orgKey(clean).startsWith(orgKey(existing.name))) existing.name = clean;
    } else candidates.push({ name: clean, evidence: [evidence] });
  };

  for (const match of text.matchAll(formLabel)) {
    const value = (match.groups!.value ?? match.groups!.below!).trim();
    const start = match.index + match[0].indexOf(value);
    add(value, { source: 'form', text: value, start, end: start + value.length });
  }
  for (const { line, start } of signatureLines(structure).slice(1, 10)) {
    const org = organisationInLine(line, senderName);
    if (org) {
      const at = start + line.indexOf(org);
      add(org, { source: 'signature', text: org, start: at, end: at + org.length });
    }
  }
  for (const segment of structure.segments.filter((s) => s.kind === 'new' || s.kind === 'forwarded')) {
    for (const match of text.slice(segment.start, segment.end).matchAll(selfIntroduction)) {
      const org = match.groups!.org!.trim();
      if (looksLikePersonName(org) && !hasLegalSuffix(org)) continue;
      const start = segment.start + match.index + match[0].lastIndexOf(org);
      add(org, { source: 'text', text: org, start, end: start + org.length });
    }
  }
  const display = input.from?.name;
  if (display && !relay) {
    const part = /(?:\bfrom\b|\bat\b|\||\(|–|-)\s*([^)|]+)\)?$/i.exec(display)?.[1] ?? display;
    if (hasLegalSuffix(part) || organisationWords.test(part) || (!looksLikePersonName(part) && part !== display))
      add(part.replace(/\s+(?:office|team|accounts|billing|admin|info)$/i, ''), { source: 'display-name', text: part });
  }

  // The sender's own domain, with the organisation's spelling of it where the message has one.
  const domain = domainOfAddress(senderAddress);
  if (domain && !isFreeMail(senderAddress) && !isRelay(senderAddress)) {
    const stem = domainStem(domain)
      .replace(/[^\p{L}\p{N}]/gu, '')
      .toLowerCase();
    if (stem.length >= 3 && !opKeys.includes(stem)) {
      const spelled = spellingOfStem(text, stem, (index) => {
        const kind = kindAt(structure, index);
        return kind !== 'quoted' && kind !== 'forward-header';
      });
      // The whole signature line is the organisation's full name ("Harrow Vale Building Society").
      if (spelled) {
        const lineStart = text.lastIndexOf('\n', spelled.start) + 1;
        const lineEnd = text.indexOf('\n', spelled.start);
        const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
        const org = organisationInLine(line, senderName);
        if (org && org.includes(spelled.name) && org.length < 80) {
          spelled.start = lineStart + line.indexOf(org);
          spelled.name = org;
        }
      }
      const existing = candidates.find(
        (c) => orgKey(c.name).startsWith(stem) || stem.startsWith(orgKey(c.name)) || abbreviates(stem, orgKey(c.name)),
      );
      if (existing) existing.evidence.push({ source: 'domain', text: domain });
      else if (spelled)
        add(spelled.name, {
          source: 'domain',
          text: domain,
          start: spelled.start,
          end: spelled.start + spelled.name.length,
        });
      else add(nameOfDomain(domain), { source: 'domain-only', text: domain });
    }
  }

  // A known client wins: by address, by domain, then by name. The source of truth knows who
  // writes from an address it holds; a name in the text is only a good guess.
  const byAddress = input.known.find((client) => client.emails?.some((email) => email.toLowerCase() === senderAddress));
  const byDomain = input.known.find((client) => domain && client.domains?.some((d) => d.toLowerCase() === domain));
  const byName = input.known.find((client) =>
    candidates.some((candidate) => sameOrganisation(candidate.name, client.name)),
  );
  const known = byAddress ?? byDomain ?? byName;
  if (known) {
    const matched = candidates.find((candidate) => sameOrganisation(candidate.name, known.name));
    const how = byAddress ? `their address ${senderAddress}` : byDomain ? `their domain ${domain}` : 'its name';
    return {
      name: known.name,
      clientId: known.id,
      knownBy: byAddress ? 'address' : byDomain ? 'domain' : 'name',
      evidence: [{ source: 'known-client', text: `${known.name} (a client, by ${how})` }, ...(matched?.evidence ?? [])],
    };
  }
  const score = (candidate: Candidate) =>
    candidate.evidence.reduce((sum, evidence) => sum + weights[evidence.source], 0) +
    (hasLegalSuffix(candidate.name) ? 1 : 0);
  const best = candidates.sort((a, b) => score(b) - score(a))[0];
  return best ? { name: best.name, evidence: best.evidence } : undefined;
}
