// People and organisations. wink's lite model tags proper nouns but does not say whether a name
// is a person or a company, so: the From header, greeting and signature name people; company
// suffixes and head nouns ("Ltd", "GmbH", "Foundation", "Bakery") name organisations; a few
// verbs and prepositions around a proper noun ("ask Tom", "Gemma wants") name people in the text.
import type { Sentence, Token } from './nlp.ts';

export interface FoundName {
  name: string;
  email?: string;
  confidence: number;
}

const orgSuffix =
  /\b(Ltd\.?|Limited|LLC|PLLC|LLP|L\.L\.C\.|Inc\.?|Corp\.?|Co\.|GmbH|gGmbH|AG|KG|UG|e\.V\.|B\.V\.|BV|N\.V\.|S\.A\.|SAS|SARL|S\.r\.l\.|S\.p\.A\.|Sp\. z o\.o\.|PartG( mbB)?|Oy|AB|ApS|A\/S|plc)$/;
const orgHeads =
  /\b(Bakery|Publishing|Publishers|Media|Foundation|Trust|Studio|Agency|Labs?|Partners|Consulting|Architekten|Architects|Weingut|Atelier|Ceramiche|Creative|Logistics|Coffee|Inn|Hotel|Bank|University|School|Café|Cafe|Kaffeehaus|Restaurant|Express|Group|Health|Law|Goods|Company|Collective|Association|Institute|Council|Society|Team)\b/;
const jobTitle =
  /\b(Director|Manager|Owner|Founder|Co-founder|Editor|Head|Consultant|CEO|CTO|COO|CFO|Designer|Developer|Architekt|Architect|Dipl|Officer|Assistant|Coordinator|Lead|Payable|Receivable|Accountant|President|Partner|Programme|Program)\b/;
const honorific = /^(Dr|Mr|Mrs|Ms|Miss|Prof|Frau|Herr|Mme|M|Sig|Sr|Sra)\.?\s+/;
const notNames = new Set([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'i',
  'the',
  'we',
  'our',
  'your',
  'hi',
  'hello',
  'dear',
  'thanks',
  'best',
  'regards',
  'cheers',
  'team',
  'customer',
  'service',
  'support',
  'lg',
  'xx',
  'ps',
]);

const normalize = (name: string) => name.replace(honorific, '').trim().toLowerCase();

const particles = /^(de|van|der|von|da|di|du|le|la|del|dos|ten|ter|zu)$/;

function titleCaseWords(text: string): boolean {
  const words = text.split(/\s+/);
  return words.every(
    (word, index) =>
      /^\p{Lu}[\p{L}'’.-]*$/u.test(word) || (index > 0 && index < words.length - 1 && particles.test(word)),
  );
}

/** A signature or header line that is a person's name: one to three capitalised words. */
function personLike(text: string): boolean {
  const words = text.replace(honorific, '').trim().split(/\s+/);
  return (
    words.length >= 1 &&
    words.length <= 4 &&
    titleCaseWords(words.join(' ')) &&
    !words.some((word) => notNames.has(word.toLowerCase())) &&
    !orgSuffix.test(text) &&
    !orgHeads.test(text) &&
    !jobTitle.test(text)
  );
}

/** "Owner, Sweet Crumb Bakery", "Accounts Payable | Northwind Logistics Ltd", "Rossi Ceramiche – Deruta". */
function organizationInLine(line: string): string | undefined {
  const parts = line.split(/\s*[|·•]\s*|\s+[–—-]\s+|,\s+(?=\p{Lu})/u).map((part) => part.trim());
  // Keep "Moreno Family Law, PLLC" and "Figma, Inc." whole.
  const joined = line.match(/^(.+?),\s*(PLLC|LLC|Inc\.?|Ltd\.?|LLP|GmbH|AG)\b/);
  if (joined)
    return `${joined[1]!
      .split(/\s*[|·•]\s*/)
      .pop()!
      .trim()}, ${joined[2]}`;
  for (const part of parts) {
    if (!part || /\d/.test(part) || /@|https?:|www\.|\.\p{L}{2,}$/u.test(part)) continue;
    if (jobTitle.test(part) && !orgSuffix.test(part) && !orgHeads.test(part)) continue;
    if (orgSuffix.test(part) || orgHeads.test(part)) return part.replace(/^(the)\s+/i, '');
  }
  return undefined;
}

export interface NameSources {
  sender?: { name?: string; address?: string };
  greetingName?: string;
  signature: string[];
  sentences: Sentence[];
}

/** Words before a name that make it a person: "ask Tom", "loop in Marcus", "A friend, Hélène Marchand". */
const personCueBefore = /(^|\s)(ask|asking|with|cc|contact|friend ,|colleague ,|loop in|show it to|by|me|and)$/i;
const personCueAfter = /^(wants|will|said|says|asked|mentioned|gave|at|'ll|keen|'s keen)$/i;

/** Runs of capitalised proper nouns in a sentence, with the words around them. */
function properNounRuns(tokens: Token[]): { words: string[]; before?: Token; after?: Token; start: number }[] {
  const runs: { words: string[]; before?: Token; after?: Token; start: number }[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index]!;
    const joiner = /^(&|of|de|van|der|und|and)$/i;
    if (token.pos === 'PROPN' && /^\p{Lu}/u.test(token.text) && !notNames.has(token.normal)) {
      const start = index;
      const words = [token.text];
      index++;
      while (index < tokens.length) {
        const next = tokens[index]!;
        const continues = next.pos === 'PROPN' && /^\p{Lu}/u.test(next.text) && !notNames.has(next.normal);
        const joins =
          joiner.test(next.text) && tokens[index + 1]?.pos === 'PROPN' && /^\p{Lu}/u.test(tokens[index + 1]!.text);
        if (!continues && !joins) break;
        words.push(next.text);
        index++;
      }
      runs.push({ words, start, before: tokens[start - 1], after: tokens[index] });
    } else {
      index++;
    }
  }
  return runs;
}

export function findPeopleAndOrganizations(sources: NameSources): { people: FoundName[]; organizations: FoundName[] } {
  const people = new Map<string, FoundName>();
  const organizations = new Map<string, FoundName>();
  const addPerson = (name: string, confidence: number, email?: string) => {
    const key = normalize(name);
    if (!key || notNames.has(key)) return;
    // "Marisol" and "Marisol Vega" are one person: keep the longer name, the higher confidence.
    for (const [otherKey, other] of people) {
      const a = key.split(' ');
      const b = otherKey.split(' ');
      if (a[0] === b[0] && (a.length === 1 || b.length === 1)) {
        if (a.length > b.length) {
          people.delete(otherKey);
          people.set(key, {
            name,
            confidence: Math.max(confidence, other.confidence),
            ...(email || other.email ? { email: email ?? other.email } : {}),
          });
        } else other.confidence = Math.max(other.confidence, confidence);
        return;
      }
    }
    const existing = people.get(key);
    if (!existing || existing.confidence < confidence)
      people.set(key, { name, confidence, ...(email ? { email } : {}) });
  };
  const addOrganization = (name: string, confidence: number) => {
    const key = name.toLowerCase().replace(/[.,]/g, '');
    const existing = organizations.get(key);
    if (!existing || existing.confidence < confidence) organizations.set(key, { name, confidence });
  };

  const senderName = sources.sender?.name?.replace(honorific, '').trim();
  const compact = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const senderIsBrand = Boolean(
    senderName && compact(sources.sender?.address?.split('@')[1] ?? '').includes(compact(senderName)),
  );
  if (senderName && senderIsBrand) addOrganization(senderName, 0.6);
  else if (senderName && personLike(senderName)) addPerson(senderName, 0.95, sources.sender?.address);
  else if (
    senderName &&
    (orgHeads.test(senderName) || /\b(Pro|Express)\b/.test(senderName)) &&
    !/team|payable|service|support/i.test(senderName)
  )
    addOrganization(senderName, 0.6);
  if (sources.greetingName && personLike(sources.greetingName)) addPerson(sources.greetingName, 0.7);

  // Signature: the first name-like line is the sender; company lines follow.
  let namedInSignature = false;
  for (const line of sources.signature.slice(0, 6)) {
    // "Ana & the betahaus team"
    const teamLine = /^(\p{Lu}\p{L}+) & the (.+?) team$/u.exec(line);
    if (teamLine) {
      addPerson(teamLine[1]!, 0.7);
      addOrganization(teamLine[2]!, 0.6);
      continue;
    }
    const first = line.split(/\s*[|,]\s*/)[0] ?? '';
    // "dan", "jake": people sign lower-case on the phone.
    const beforeComma = /^\p{Ll}+$/u.test(first) ? first[0]!.toUpperCase() + first.slice(1) : first;
    const alreadyNamed = [...people.keys()].some((key) => key.split(' ')[0] === normalize(beforeComma).split(' ')[0]);
    if ((!namedInSignature || alreadyNamed) && personLike(beforeComma) && !/\d/.test(line)) {
      addPerson(beforeComma.replace(/^[/–—-]\s*/, ''), 0.85, sources.sender?.address);
      namedInSignature = true;
      const rest = line.slice(first.length).replace(/^\s*[|,]\s*/, '');
      const organization = rest ? organizationInLine(rest) : undefined;
      if (organization) addOrganization(organization, 0.8);
      continue;
    }
    const organization = organizationInLine(line);
    if (organization) addOrganization(organization.replace(/^The\s+/, ''), 0.8);
    else if (
      namedInSignature &&
      titleCaseWords(line.replace(/&/g, 'And')) &&
      !/\d/.test(line) &&
      !jobTitle.test(line) &&
      line.split(/\s+/).length <= 5
    )
      addOrganization(line, 0.55);
  }

  for (const sentence of sources.sentences) {
    for (const run of properNounRuns(sentence.tokens)) {
      const name = run.words.join(' ').replace(/\s+&\s+/g, ' & ');
      if ((orgSuffix.test(name) && run.words.length >= 2) || orgHeads.test(name)) {
        addOrganization(name, 0.75);
        continue;
      }
      const beforeText = sentence.tokens
        .slice(Math.max(0, run.start - 3), run.start)
        .map((token) => token.text)
        .join(' ');
      const afterIndex = run.start + run.words.length;
      const afterText = sentence.tokens
        .slice(afterIndex, afterIndex + 2)
        .map((token) => token.text)
        .join(' ');
      const cued =
        personCueBefore.test(beforeText) || personCueAfter.test(run.after?.text ?? '') || /^'s keen/.test(afterText);
      // "B" in "building B", "ACH", "SEO": letters and acronyms are not people.
      if (run.words.join('').length < 2 || (run.words.length === 1 && /^\p{Lu}+$/u.test(run.words[0]!))) continue;
      const atSentenceStart = run.start === 0;
      if (run.words.length >= 2 && run.words.length <= 3 && cued) addPerson(name, 0.65);
      else if (run.words.length === 1 && cued && !atSentenceStart && !/^(in|to)$/i.test(run.before?.text ?? ''))
        addPerson(name, 0.5);
      else if (
        run.words.length === 1 &&
        atSentenceStart &&
        run.after &&
        /^(wants|will|'s|is|said|asked|gave)$/i.test(run.after.text)
      )
        addPerson(name, 0.5);
      else if (run.before && /^(at|from)$/i.test(run.before.text) && run.words.length <= 3 && !cued) continue;
    }
    // Addresses written in the text are people to reach.
    for (const match of sentence.text.matchAll(/\b([\w.+-]+)@([\w-]+\.[\w.-]+)\b/g)) {
      const local = match[1]!.split(/[._]/).filter((part) => part.length > 1);
      const guess = local.map((part) => part[0]!.toUpperCase() + part.slice(1)).join(' ');
      if (local.length >= 2) addPerson(guess, 0.6, match[0]);
    }
  }
  // No display name: "jake.m.turner@…" signed "jake" is Jake Turner.
  if (!senderName && sources.sender?.address) {
    const parts = sources.sender.address
      .split('@')[0]!
      .split(/[._]/)
      .filter((part) => part.length > 1);
    if (parts.length >= 2)
      addPerson(parts.map((part) => part[0]!.toUpperCase() + part.slice(1)).join(' '), 0.6, sources.sender.address);
  }
  const byConfidence = (a: FoundName, b: FoundName) => b.confidence - a.confidence;
  return {
    people: [...people.values()].sort(byConfidence),
    organizations: withoutContained([...organizations.values()]).sort(byConfidence),
  };
}

/** "DHL Express Customer Service" is "DHL Express"; "Creative" inside "Grant Creative Ltd" is the same company. */
function withoutContained(organizations: FoundName[]): FoundName[] {
  const cleaned = organizations.map((org) => ({
    ...org,
    name: org.name.replace(/\s+(Customer Service|Support|Team|Billing)$/i, ''),
  }));
  const key = (name: string) => name.toLowerCase().replace(/[.,]/g, '');
  return cleaned.filter(
    (org, index) =>
      !cleaned.some((other, otherIndex) => {
        if (otherIndex === index) return false;
        const [a, b] = [key(org.name), key(other.name)];
        return (b.includes(a) && b !== a) || (a === b && otherIndex < index);
      }),
  );
}
