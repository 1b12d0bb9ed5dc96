// The organisation the sender speaks for: a known client (by address, domain or name), the
// company field of a web form, the signature, the sender's own domain, or how they introduce
// themselves. Never the operator's own business, a relay, a person, or a form label.
import type { Mailbox } from '../message/email-input.ts';
import { kindAt, type MessageStructure } from '../message/structure.ts';
import { spellingOfStem } from './domain-spelling.ts';
import { certaintyOf } from './certainty.ts';
import { domainOfAddress, domainStem, isFreeMail, isNotifier, isRelay } from './domains.ts';
import {
  hasLegalSuffix,
  looksLikePersonName,
  meaninglessValue,
  organisationWords,
  orgKey,
  sameOrganisation,
  splitOrganisationWord,
} from './organisations.ts';
import {
  lineAroundSpelling,
  organisationInLine,
  vouchedNameShape,
  type LineContext,
} from './signature-organisation.ts';
import { quotedSignatureLines, signatureLines } from './signature.ts';

export interface KnownClient {
  id: string;
  name: string;
  emails?: string[];
  domains?: string[];
}

export type ClientSource =
  | 'known-client'
  | 'form'
  | 'signature'
  | 'domain'
  | 'domain-only'
  | 'reply-to'
  | 'quoted-signature'
  | 'display-name'
  | 'text';

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
  /**
   * How sure the name is, 0 to 1, before any calibration: a known client by address or domain,
   * a domain that spells the signature's or form's name, and no rival candidate make it high; a
   * name read from the domain alone, or one closely rivalled, low. For the confidence model.
   */
  certainty: number;
}

export interface ClientInput {
  structure: MessageStructure;
  from?: Mailbox;
  replyTo: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  known: KnownClient[];
}

export interface Candidate {
  name: string;
  evidence: ClientEvidence[];
}

const weights: Record<ClientSource, number> = {
  'known-client': 6,
  form: 3,
  signature: 2,
  domain: 3,
  'domain-only': 1,
  'reply-to': 3,
  'quoted-signature': 1.5,
  'display-name': 2,
  text: 2,
};

// "Company: Acme", the value on the line below its label (Gravity Forms, Wix, Squarespace), or
// in a column beside it ("Bedrijfsnaam    Bakkerij Van Dam": Jotform, Tally, HTML tables as text).
const organisationLabel =
  '(?:company|organi[sz]ation|business|brand|firm|practice|school|venue|employer|firma|firmenname|unternehmen|organisation|société|entreprise|structure|raison sociale|empresa|compañía|organización|negocio|bedrijf|bedrijfsnaam|organisatie)';
// "Your company", "Name of business", "Nom de l'entreprise", "Company / Organisation (optional) *".
const labelPhrase =
  `(?:your\\s+|name of (?:the |your )?|nom de (?:l'|la |votre )?|nombre de (?:la |tu |su )?|naam (?:van )?(?:het |de |uw )?|ihr(?:e)?\\s+)?` +
  `${organisationLabel}(?:\\s*(?:\\/|or|oder|ou|o|of)\\s*${organisationLabel})?(?:\\s+name|\\s*\\((?:optional|optionnel|opcional|optioneel|optional)\\))?\\s*\\*?`;
const formLabel = new RegExp(
  `^[ \\t]*${labelPhrase}(?:[ \\t]*:[ \\t]*(?:(?<value>[^\\n]+)|\\n[ \\t]*(?<below>[^\\n:]+))|(?:\\t+|[ ]{2,})(?<aligned>[^\\s:][^\\n]*))$`,
  'gimu',
);

// "I work at Acme", "ich bin Inhaberin vom Yogastudio Lotus", "en nombre de la Fundación Mar Abierto":
// the phrase, an optional article, then a capitalised name of up to six words.
const selfIntroduction =
  /(?:\b(?:we are|we're|i am|i'm|here at|on behalf of|i run|we run|i own|i work (?:at|for|with)|(?:owner|co-?owner|founder|co-?founder|director|manager|coordinator|co-ordinator|head|chair|secretary|treasurer|president|administrator|principal|headteacher|editor|producer|partner|officer|ceo|cfo|coo|cto) (?:at|of|for)|writing from|wir sind|ich bin [^.\n]{0,40}? (?:bei|beim|von|vom|der|des)|im namen (?:von|der|des)|nous sommes|je suis [^.\n]{0,40}? (?:chez|de|du)|au nom (?:de|du|des)|somos|soy [^.\n]{0,40}? (?:de|del|en)|en nombre (?:de|del)|wij zijn|ik ben [^.\n]{0,40}? (?:van|bij)|namens)\s+)(?:(?:la|el|los|las|le|les|der|die|das|den|dem|het|de)\s+|l['’])?(?<org>(?:the\s+)?\p{Lu}[\p{L}\p{N}'’.&-]*(?:\s+(?:&|and|of|de|du|des|la|le|del|van|von|für|\p{Lu}[\p{L}\p{N}'’.&-]*)){0,5})/gu;

/** "Fundación Mar Abierto. Queremos …" → "Fundación Mar Abierto"; "Acme Inc. We …" keeps "Inc.". */
function untilSentenceEnd(name: string): string {
  for (const stop of name.matchAll(/\.\s+/g)) {
    const head = name.slice(0, stop.index + 1);
    if (!hasLegalSuffix(head) && !/(?:^|\s)\p{L}{1,2}\.$/u.test(head)) return head.slice(0, -1);
  }
  return name;
}

/** "kaffeekontor-albrecht.de" → "Kaffeekontor Albrecht": the best a domain alone says. */
function nameOfDomain(domain: string): string {
  // German and Dutch write "Yogastudio" as one word; English names split "brooksmedia" as "Brooks Media".
  const compounds = /\.(?:de|at|ch|nl|be|dk|se|no|fi)$/.test(domain);
  return domainStem(domain)
    .split(/[-_]+/)
    .filter(Boolean)
    .flatMap((part) => (compounds ? [part] : splitOrganisationWord(part)))
    .flatMap((part) => {
      // "hallandpartners", "crumbandco": the "and" between two names is an ampersand.
      const joined = /^(.{3,})and(co)?$/.exec(part);
      return joined ? [joined[1]!, '&', ...(joined[2] ? ['Co'] : [])] : [part];
    })
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

/** The sender's domain stem in letters and digits, when the domain says who they are. */
function stemOf(address: string | undefined): string | undefined {
  if (!address || isFreeMail(address) || isRelay(address)) return undefined;
  const domain = domainOfAddress(address);
  if (!domain) return undefined;
  const stem = domainStem(domain)
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toLowerCase();
  return stem.length >= 3 ? stem : undefined;
}

/** A domain that is the sender's own name: their whole name, or their family name alone. */
function personalDomain(stem: string, senderName: string | undefined): boolean {
  const words = (senderName ?? '')
    .split(/[\s,]+/)
    .map(orgKey)
    .filter((word) => word.length >= 2);
  if (words.length < 2) return false;
  const joined = [words.join(''), [...words].reverse().join(''), `${words[0]}${words.at(-1)}`];
  return joined.includes(stem) || stem === words.at(-1);
}

/** Whether the domain stem spells the name: its start, its whole or its initials. */
function stemSpells(stem: string, name: string): boolean {
  const key = orgKey(name);
  return key.startsWith(stem) || stem.startsWith(key) || abbreviates(stem, key);
}

/** Whether the domain stem holds a long word of the name ("vbsderegenboog" and "Regenboog"). */
function stemHoldsWord(stem: string, name: string): boolean {
  return name
    .split(/[\s&/-]+/)
    .map(orgKey)
    .some((word) => word.length >= 5 && stem.includes(word));
}

function candidateOfStem(candidates: Candidate[], stem: string, byWord: boolean): Candidate | undefined {
  return (
    candidates.find((c) => stemSpells(stem, c.name)) ??
    (byWord ? candidates.find((c) => stemHoldsWord(stem, c.name)) : undefined)
  );
}

export function findClient(input: ClientInput): ClientFinding | undefined {
  const { structure } = input;
  const text = structure.text;
  // Payment, scheduling and newsletter platforms write for themselves, whoever the Reply-To is.
  if (isNotifier(input.from?.address)) return undefined;
  const relay = isRelay(input.from?.address);
  const sender = relay ? (input.replyTo[0] ?? input.from) : input.from;
  const opKeys = operatorKeys(input.to, domainOfAddress(sender?.address));
  const senderAddress = sender?.address?.toLowerCase();
  const senderName = sender?.name;
  const stem = stemOf(senderAddress);
  const context: LineContext = { senderName, stem };
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
    // So is a signature line shaped like a person's name that the domain holds ("Vrije Basisschool
    // De Regenboog") or that starts with the sender's family name ("Brandt Elektrotechnik").
    const trusted =
      ['domain', 'domain-only', 'form', 'known-client'].includes(evidence.source) ||
      (evidence.source === 'signature' && vouchedNameShape(clean, context));
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
    const value = (match.groups!.value ?? match.groups!.below ?? match.groups!.aligned!).trim();
    const start = match.index + match[0].indexOf(value);
    add(value, { source: 'form', text: value, start, end: start + value.length });
  }
  for (const { line, start } of signatureLines(structure, senderName, senderAddress)) {
    const org = organisationInLine(line, context);
    if (org) {
      const at = start + line.indexOf(org);
      add(org, { source: 'signature', text: org, start: at, end: at + org.length });
    }
  }
  for (const segment of structure.segments.filter((s) => s.kind === 'new' || s.kind === 'forwarded')) {
    for (const match of text.slice(segment.start, segment.end).matchAll(selfIntroduction)) {
      const org = untilSentenceEnd(match.groups!.org!.trim());
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

  // A short reply with no signature of its own: the sender's signature in the history still says who writes.
  if (!candidates.some((c) => c.evidence.some((e) => e.source === 'signature' || e.source === 'form'))) {
    for (const { line, start } of quotedSignatureLines(structure, senderName, senderAddress)) {
      const org = organisationInLine(line, context);
      if (!org) continue;
      const at = start + line.indexOf(org);
      add(org, { source: 'quoted-signature', text: org, start: at, end: at + org.length });
    }
  }

  const visible = (index: number) => {
    const kind = kindAt(structure, index);
    return kind !== 'quoted' && kind !== 'forward-header';
  };
  // The sender's own domain, with the organisation's spelling of it where the message has one.
  const domain = domainOfAddress(senderAddress);
  if (stem && !opKeys.includes(stem)) {
    const spelled = spellingOfStem(text, stem, visible);
    // The whole signature line is the organisation's full name ("Harrow Vale Building Society").
    if (spelled) {
      const lineStart = text.lastIndexOf('\n', spelled.start) + 1;
      const lineEnd = text.indexOf('\n', spelled.start);
      const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
      const org = organisationInLine(line, context);
      const whole = org?.includes(spelled.name) ? org : lineAroundSpelling(line, spelled.name, context);
      if (whole && whole.length < 80) {
        spelled.start = lineStart + line.indexOf(whole);
        spelled.name = whole;
      }
    }
    const existing =
      (spelled && candidates.find((c) => sameOrganisation(c.name, spelled.name))) ??
      candidateOfStem(candidates, stem, !spelled);
    if (existing) existing.evidence.push({ source: 'domain', text: domain });
    else if (spelled)
      add(spelled.name, {
        source: 'domain',
        text: domain,
        start: spelled.start,
        end: spelled.start + spelled.name.length,
      });
    // "aoife@byrne.ie", "mail@jandeboer.nl": a person's own domain names nobody else.
    else if (!personalDomain(stem, senderName)) add(nameOfDomain(domain), { source: 'domain-only', text: domain });
  }
  // A Reply-To at another organisation's domain (an assistant writing for their principal) backs
  // the candidate that domain names; alone it names nothing (phishing sets Reply-To too).
  const replyStem = relay ? undefined : stemOf(input.replyTo[0]?.address);
  if (replyStem && replyStem !== stem && !opKeys.includes(replyStem)) {
    const backed = candidateOfStem(candidates, replyStem, true);
    if (backed) backed.evidence.push({ source: 'reply-to', text: domainOfAddress(input.replyTo[0]!.address) });
  }

  // A known client wins: by address, by domain, then by name. The source of truth knows who
  // writes from an address it holds; a name in the text is only a good guess.
  const byAddress = input.known.find((client) => client.emails?.some((email) => email.toLowerCase() === senderAddress));
  const byDomain = input.known.find((client) => domain && client.domains?.some((d) => d.toLowerCase() === domain));
  const byName = input.known.find((client) =>
    candidates.some((candidate) => sameOrganisation(candidate.name, client.name)),
  );
  const known = byAddress ?? byDomain ?? byName;
  const score = (candidate: Candidate) =>
    candidate.evidence.reduce((sum, evidence) => sum + weights[evidence.source], 0) +
    (hasLegalSuffix(candidate.name) ? 1 : 0);
  const ranked = [...candidates].sort((a, b) => score(b) - score(a));
  if (known) {
    const matched = candidates.find((candidate) => sameOrganisation(candidate.name, known.name));
    const how = byAddress ? `their address ${senderAddress}` : byDomain ? `their domain ${domain}` : 'its name';
    const knownBy = byAddress ? 'address' : byDomain ? 'domain' : 'name';
    const evidence: ClientEvidence[] = [
      { source: 'known-client', text: `${known.name} (a client, by ${how})` },
      ...(matched?.evidence ?? []),
    ];
    const rivals = ranked.filter((candidate) => candidate !== matched);
    const certainty = certaintyOf({ name: known.name, evidence }, rivals, { knownBy });
    return { name: known.name, clientId: known.id, knownBy, evidence, certainty };
  }
  const [best, ...rivals] = ranked;
  if (!best) return undefined;
  // Answers asked to go to another domain that names nothing here: how phishing and relayed mail look.
  const replyAddress = relay ? undefined : input.replyTo[0]?.address;
  const strayReplyTo =
    replyAddress !== undefined &&
    domainOfAddress(replyAddress) !== domain &&
    !best.evidence.some((e) => e.source === 'reply-to');
  return { name: best.name, evidence: best.evidence, certainty: certaintyOf(best, rivals, { strayReplyTo }) };
}
