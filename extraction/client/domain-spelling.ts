// How an organisation writes the name its mail domain abbreviates: "crumbandco.co.uk" is
// "Crumb & Co Bakery" in the signature, "obgz.nl" is "Openbare Bibliotheek Gelderland Zuid".

import { hasLegalSuffix, organisationWords } from './organisations.ts';

interface Token {
  text: string;
  key: string;
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

function tokensOfLine(line: string, offset: number): Token[] {
  const out: Token[] = [];
  for (const match of line.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|&|\+/gu)) {
    const text = match[0].replace(/[.'’-]+$/, '');
    out.push({
      text,
      key: fold(text === '+' ? 'and' : text),
      start: offset + match.index,
      end: offset + match.index + text.length,
    });
  }
  return out;
}

const connector = /^(?:&|and|und|et|y|en|of|de|du|des|la|le|del|van|von|der|den|the|für)$/i;
const capitalised = (token: Token) => /^[\p{Lu}\p{N}]/u.test(token.text);
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
      // Words whose letters together are the stem: "Meridian Freight" for "meridianfreight".
      let joined = '';
      for (let j = i; j < Math.min(tokens.length, i + 6); j++) {
        joined += tokens[j]!.key;
        if (!stem.startsWith(joined) && !(joined.startsWith(stem) && j === i)) break;
        if (joined === stem || (j === i && joined.startsWith(stem) && stem.length >= 5)) {
          let end = j;
          while (
            end + 1 < tokens.length &&
            end - j < 3 &&
            (organisationWords.test(tokens[end + 1]!.text) || hasLegalSuffix(`x ${tokens[end + 1]!.text}`))
          )
            end += 1;
          const name = line.slice(
            tokens[i]!.start - (offset - line.length - 1),
            tokens[end]!.end - (offset - line.length - 1),
          );
          const score = name.length + (/\p{Lu}.*\s\p{Lu}/u.test(name) ? 5 : 0);
          if (!best || score > best.score) best = { name, start: tokens[i]!.start, score };
        }
      }
      // Initials: "OBGZ" for Openbare Bibliotheek Gelderland Zuid.
      if (stem.length >= 3 && stem.length <= 6) {
        let initials = '';
        let last = i;
        for (let j = i; j < tokens.length && initials.length < stem.length; j++) {
          const token = tokens[j]!;
          if (connector.test(token.text)) continue;
          if (!capitalised(token)) break;
          initials += token.key[0] ?? '';
          last = j;
        }
        if (initials === stem && last > i) {
          const name = line.slice(
            tokens[i]!.start - (offset - line.length - 1),
            tokens[last]!.end - (offset - line.length - 1),
          );
          if (!best || name.length + 3 > best.score) best = { name, start: tokens[i]!.start, score: name.length + 3 };
        }
      }
    }
  }
  return best && { name: best.name, start: best.start };
}
