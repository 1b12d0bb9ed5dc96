// Sentences of a message's content, with their offsets in the message text. Line breaks end a
// sentence unless the line looks hard-wrapped; a full stop after an abbreviation, an initial
// or an ordinal number ("bis zum 18. Dezember", "Nr. 5", "z. B.") does not.
import { monthPattern } from '../dates/names.ts';

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

const abbreviations = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'mt',
  'jr',
  'sr',
  'sra',
  'srta',
  'vs',
  'etc',
  'eg',
  'ie',
  'approx',
  'no',
  'nos',
  'nr',
  'ca',
  'bzw',
  'zb',
  'ua',
  'dh',
  'inkl',
  'zzgl',
  'ggf',
  'evtl',
  'hr',
  'fr',
  'frau',
  'tel',
  'mob',
  'fax',
  'str',
  'abs',
  'mme',
  'mlle',
  'cf',
  'env',
  'av',
  'bd',
  'ud',
  'uds',
  'dña',
  'núm',
  'pág',
  'blz',
  'bijv',
  'oa',
  'mvg',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'okt',
  'nov',
  'dec',
  'dez',
  'janv',
  'févr',
  'déc',
  'ene',
  'dic',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'inc',
  'ltd',
  'co',
  'corp',
  'bros',
  'dept',
  'est',
  'min',
  'max',
  'incl',
  'excl',
  'ref',
  'qty',
  'pp',
  'vol',
  'ed',
  'usw',
  'usf',
  'vgl',
  'ff',
  'mio',
  'mrd',
  'tsd',
]);
const monthAfter = new RegExp(`^\\s*(?:${monthPattern})\\b`, 'iu');

/** Whether the full stop at `dot` ends a sentence, given what follows. */
function endsSentence(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 20), dot);
  const after = text.slice(dot + 1, dot + 30);
  const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase().replaceAll('.', '') ?? '';
  if (abbreviations.has(word)) return false;
  if (/(?:^|[^\p{L}])\p{L}$/u.test(before) && /^\s*\p{Lu}/u.test(after)) return false; // "J. Smith", "z. B."
  if (/\d$/.test(before)) {
    if (monthAfter.test(after)) return false; // "18. Dezember"
    if (/^\d/.test(after)) return false; // "18.12", "1.250"
    if (/(?:^|\D)\d{1,2}\.\d{1,2}$/.test(before) && /^\s*\d{2,4}\b/.test(after)) return false; // "18.12. 2026"
  }
  return /^\s+["'“‘(]?[\p{Lu}\d¿¡]/u.test(after) || /^\s*$/.test(after);
}

function splitLine(text: string, start: number, end: number, out: Sentence[]): void {
  let from = start;
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    if (ch === '.' && !endsSentence(text, i)) continue;
    if ((ch === '!' || ch === '?') && /^[!?]/.test(text[i + 1] ?? '')) continue;
    push(text, from, i + 1, out);
    from = i + 1;
  }
  push(text, from, end, out);
}

function push(text: string, start: number, end: number, out: Sentence[]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e > s && /[\p{L}\d]/u.test(text.slice(s, e))) out.push({ text: text.slice(s, e), start: s, end: e });
}

const listItem = /^\s*(?:[-*•·–—]|\d{1,2}[.)]|[a-z][.)])\s+/;

/** Sentences of text[start, end). */
export function sentencesIn(text: string, start: number, end: number): Sentence[] {
  const out: Sentence[] = [];
  const lines: { start: number; end: number }[] = [];
  let at = start;
  for (const line of text.slice(start, end).split('\n')) {
    lines.push({ start: at, end: at + line.length });
    at += line.length + 1;
  }
  let blockStart = lines[0]?.start ?? start;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    const content = text.slice(line.start, line.end);
    const nextContent = next ? text.slice(next.start, next.end) : '';
    // A hard-wrapped line is long, ends without punctuation and runs on into a lower-case word.
    const wrapped =
      next !== undefined &&
      content.trim().length >= 55 &&
      !/[.!?:;]\s*$/.test(content) &&
      nextContent.trim() !== '' &&
      !listItem.test(nextContent);
    if (!wrapped) {
      splitLine(text, blockStart, line.end, out);
      blockStart = next?.start ?? line.end;
    }
  }
  return out;
}

/** The sentences of a whole text, as strings. */
export function sentencesOf(text: string): string[] {
  return sentencesIn(text, 0, text.length).map((sentence) => sentence.text);
}
