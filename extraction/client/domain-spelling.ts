// How an organisation writes the name its mail domain abbreviates: "crumbandco.co.uk" is
// "Crumb & Co Bakery" in the signature, "obgz.nl" is "Openbare Bibliotheek Gelderland Zuid".

import { hasLegalSuffix, organisationWords } from './organisations.ts';

interface Token {
  text: string;
  key: string;
  /** The key with ä, ö, ü, ß, œ, æ written out. */
  alt: string;
  start: number;
  end: number;
}

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]/gu, '');

/** German and French letters as domains spell them: "Krüger" is "krueger", "Cœur" is "coeur". */
const transliterate = (text: string) =>
  fold(
    text
      .toLowerCase()
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss')
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae'),
  );

function tokensOfLine(line: string, offset: number): Token[] {
  const out: Token[] = [];
  for (const match of line.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|&|\+/gu)) {
    const text = match[0].replace(/[.'’-]+$/, '');
    out.push({
      text,
      key: fold(text === '+' ? 'and' : text),
      alt: transliterate(text),
      start: offset + match.index,
      end: offset + match.index + text.length,
    });
  }
  return out;
}

const connector = /^(?:&|and|und|et|y|en|of|de|du|des|la|le|del|van|von|der|den|the|für)$/i;
const capitalised = (token: Token) => /^[\p{Lu}\p{N}]/u.test(token.text);
/**
 * Whether the stem is these words run together from token `first` on, each giving all or the
 * start of itself ("logmed" from "Logística Mediterránea", "summitpeakcu" from "Summit Peak
 * Credit Union", "obgz" from "Openbare Bibliotheek Gelderland Zuid"), connectors optional and at
 * most one other word left out. Returns the last token used.
 */
function spells(stem: string, tokens: Token[], first: number): number | undefined {
  const memo = new Map<string, number | undefined>();
  const walk = (at: number, k: number, skips: number): number | undefined => {
    if (at === stem.length) return k - 1;
    if (k >= tokens.length || k - first > 7) return undefined;
    const key = `${at}:${k}:${skips}`;
    if (memo.has(key)) return memo.get(key);
    memo.set(key, undefined);
    const token = tokens[k]!;
    let found: number | undefined;
    for (const variant of new Set([token.key, token.alt])) {
      // Longest first: a whole word, then ever shorter starts of it (the first word gives two letters at least).
      for (
        let length = Math.min(variant.length, stem.length - at);
        length >= (k === first && stem.length > 6 ? 2 : 1) && found === undefined;
        length--
      ) {
        if (stem.startsWith(variant.slice(0, length), at)) found = walk(at + length, k + 1, skips);
      }
      if (found !== undefined) break;
    }
    if (found === undefined && k > first && connector.test(token.text)) found = walk(at, k + 1, skips);
    if (found === undefined && k > first && skips > 0 && capitalised(token)) found = walk(at, k + 1, skips - 1);
    memo.set(key, found);
    return found;
  };
  return walk(0, first, 1);
}

/** The phrase of `text` (outside the excluded ranges) that spells the domain stem, if any. */
export function spellingOfStem(
  text: string,
  stem: string,
  visible: (index: number) => boolean,
): { name: string; start: number } | undefined {
  let best: { name: string; start: number; score: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const tokens = tokensOfLine(line, offset).filter((t) => visible(t.start));
    offset += line.length + 1;
    for (let i = 0; i < tokens.length; i++) {
      if (!capitalised(tokens[i]!)) continue;
      const end = spells(stem, tokens, i);
      if (end === undefined) continue;
      let last = end;
      while (
        last + 1 < tokens.length &&
        last - end < 3 &&
        (organisationWords.test(tokens[last + 1]!.text) || hasLegalSuffix(`x ${tokens[last + 1]!.text}`))
      )
        last += 1;
      const lineOffset = offset - line.length - 1;
      const name = line.slice(tokens[i]!.start - lineOffset, tokens[last]!.end - lineOffset);
      // Whole words beat initials and clipped words; two capitalised words beat one.
      const score = name.length + (/\p{Lu}.*\s\p{Lu}/u.test(name) ? 5 : 0) + (end > i ? 2 : 0);
      if (!best || score > best.score) best = { name, start: tokens[i]!.start, score };
    }
  }
  return best && { name: best.name, start: best.start };
}
