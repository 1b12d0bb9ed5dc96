// Money amounts in the content of a message, with their currency, role and span. A number is
// money only beside a currency marker, or as a net/VAT figure in a message whose currency is
// clear; invoice, PO, VAT and phone numbers, percentages and years never are.
import {
  canonical,
  decimalOf,
  numberWordPattern,
  scalePattern,
  scalePower,
  shiftDecimal,
  wordsToDecimal,
} from './numbers.ts';
import { codeOf, codePattern, symbolPattern, wordPattern, type CurrencyContext } from './currencies.ts';
import { monthPattern } from '../dates/names.ts';

export type AmountRole = 'rate' | 'tax' | 'total' | 'budget' | 'paid' | 'due' | 'price';

export interface FoundAmount {
  value: string;
  currency: string;
  text: string;
  start: number;
  end: number;
  role: AmountRole;
  /** How the amount was recognised, for the confidence model. */
  evidence: 'symbol' | 'code' | 'word' | 'range' | 'implied' | 'spelled';
}

const numberPattern =
  "\\d{1,3}(?:(?:[,.'’]|\\s(?=\\d{3}(?!\\d)))\\d{3})+(?:[.,]\\d{1,2})?(?:[.,][-–])?|\\d+(?:[.,]\\d{1,2})?(?:[.,][-–])?";
const currencyFirst = new RegExp(
  `(?<![\\p{L}\\d])(?<cur>${symbolPattern}|${codePattern}(?![\\p{L}]))\\s?(?<num>${numberPattern})(?<scale>${scalePattern})?`,
  'gu',
);
const currencyAfter = new RegExp(
  `(?<![\\p{L}\\d.,'’])(?<num>${numberPattern})(?<scale>${scalePattern})?\\s?(?<cur>${symbolPattern}|${codePattern}(?![\\p{L}])|${wordPattern}(?![\\p{L}]))`,
  'gu',
);
const spelled = new RegExp(
  `(?<![\\p{L}])(?<words>(?:${numberWordPattern}[\\s-]+(?:and\\s+)?)*${numberWordPattern})\\s+(?<cur>${wordPattern}|${codePattern})(?![\\p{L}])`,
  'giu',
);
// "3.400 zzgl. MwSt.", "2.600,00 + VAT", "1 250 € HT" handled above; here figures with no sign.
const taxFigure = new RegExp(
  `(?<![\\p{L}\\d.,])(?<num>\\d{1,3}(?:[.,\\s]\\d{3})*[.,]\\d{2}|\\d{1,3}(?:[.,]\\d{3})+)\\s*(?:\\+\\s*|zzgl\\.?\\s*|plus\\s+|excl\\.?\\s*|exkl\\.?\\s*|inkl\\.?\\s*|incl\\.?\\s*)?(?:VAT|MwSt\\.?|USt\\.?|TVA|IVA|BTW|HT|TTC|netto|brutto|net)(?![\\p{L}])`,
  'gu',
);
// The first end of a range whose currency is written once: "£4-5k", "entre 3 000 et 4 500 €".
// Longer words first ("tot" before "to"), and whole words only.
const rangeJoin = '\\s?(?:-|–|—|(?:tot|to|bis|and|und|et|à|a|y|en)(?![\\p{L}]))\\s?';
const rangeBefore = new RegExp(`(?<num>${numberPattern})(?<scale>${scalePattern})?${rangeJoin}$`, 'u');
const rangeAfter = new RegExp(
  `^${rangeJoin}(?:${symbolPattern}|${codePattern})?\\s?(?<num>${numberPattern})(?<scale>${scalePattern})?(?![\\d])`,
  'u',
);

// "15 March 2026 EUR 4,500", "FY 2026 EUR budget": a year that a currency code happens to follow.
const dateBeforeYear = new RegExp(
  `(?:(?:${monthPattern})\\.?|\\d{1,2}[./-]\\d{1,2}[./-]?|\\bQ[1-4]|\\b(?:FY|in|for|since|year|Jahr|année|año|jaar))\\s*,?\\s*$`,
  'iu',
);
function yearBeforeCode(text: string, start: number, num: string, cur: string): boolean {
  if (!/^(?:19|20)\d{2}$/.test(num) || !/^[A-Z]{3}$/.test(cur)) return false;
  return dateBeforeYear.test(text.slice(Math.max(0, start - 16), start));
}

function valueOf(num: string, scale: string | undefined): string | undefined {
  const decimal = decimalOf(num);
  if (decimal === undefined) return undefined;
  return shiftDecimal(decimal, scalePower(scale));
}

const ratePattern =
  /^\s*(?:\/\s*|per\s+|a\s+|an\s+|pro\s+|par\s+|la\s+|por\s+|el\s+|de\s+l'|l'|\s*)(?:hour|hr|h|day|d|week|month|word|page|image|photo|Stunde|Std\.?|Tag|Woche|Monat|Wort|heure|jour|semaine|mois|mot|hora|día|dia|semana|mes|palabra|uur|dag|week|maand|woord)\b|^\s*(?:hourly|daily|p\/h|ph|pd|p\.h\.|\/hr)\b/i;

function roleOf(text: string, start: number, end: number): AmountRole {
  const after = text.slice(end, end + 30);
  if (
    ratePattern.test(after) ||
    /\b(?:rate|Stundensatz|Tagessatz|tarif|tarifa|uurtarief|dagtarief)\b[^.\n]{0,12}$/i.test(
      text.slice(Math.max(0, start - 30), start),
    )
  )
    return 'rate';
  const before = text.slice(Math.max(0, start - 60), start).toLowerCase();
  const around = `${before} ${after.toLowerCase()}`;
  // "VAT (20%): €400": the rate between the label and the figure is part of the label.
  if (/\b(?:vat|mwst|ust|tva|iva|btw)\b\s*(?:\(?\s*\d{1,2}(?:[.,]\d+)?\s*%\s*\)?)?[^\d\n]{0,12}$/.test(before))
    return 'tax';
  if (/\b(?:budget|budgetiert|presupuesto|budgétaire|begroting)\b/.test(before)) return 'budget';
  if (
    /\b(?:paid|remitted|transferred|sent you|payment of|bezahlt|überwiesen|payé|virement|pagado|transferido|betaald|overgemaakt)\b/.test(
      around,
    )
  )
    return 'paid';
  if (
    /\b(?:due|outstanding|overdue|owing|balance|fällig|offen|ausstehend|dû|impayé|pendiente|vencid|openstaand|verschuldigd)\b/.test(
      around,
    )
  )
    return 'due';
  if (/\b(?:total|gesamt|summe|totaal|montant total|importe total)\b/.test(before)) return 'total';
  return 'price';
}

export interface AmountScope {
  /** Whether a character index lies in text the sender means (new or forwarded content). */
  inContent: (index: number) => boolean;
  context: CurrencyContext;
}

export function findAmounts(text: string, scope: AmountScope): FoundAmount[] {
  const found: FoundAmount[] = [];
  const overlaps = (start: number, end: number) => found.some((f) => start < f.end && f.start < end);
  const add = (candidate: Omit<FoundAmount, 'role'>) => {
    // The span is exactly the words: no white space at either end.
    const lead = candidate.text.length - candidate.text.trimStart().length;
    const words = candidate.text.trim();
    const amount = {
      ...candidate,
      text: words,
      start: candidate.start + lead,
      end: candidate.start + lead + words.length,
    };
    if (!scope.inContent(amount.start) || overlaps(amount.start, amount.end)) return;
    if (/^0+(?:\.0+)?$/.test(amount.value)) return;
    // "#12 €" or "Nr. 4.500 EUR" never; a preceding "%" or digit means the number is something else.
    const before = text.slice(Math.max(0, amount.start - 12), amount.start);
    if (/(?:#|\bno\.?|\bnr\.?|\bn°|\binv(?:oice)?|\bpo)\s*$/i.test(before)) return;
    found.push({ ...amount, role: roleOf(text, amount.start, amount.end) });
  };

  for (const match of text.matchAll(currencyFirst)) {
    const { cur = '', num = '', scale } = match.groups ?? {};
    const currency = codeOf(cur, scope.context);
    if (!currency || /%/.test(text.slice(match.index + match[0].length, match.index + match[0].length + 2))) continue;
    const rest = text.slice(match.index + match[0].length);
    const range = rangeAfter.exec(rest);
    const sharedScale = scale ?? (range?.groups?.scale && !scale ? range.groups.scale : undefined);
    const value = valueOf(num, sharedScale);
    if (value === undefined) continue;
    const end = match.index + match[0].length;
    add({
      value,
      currency,
      text: match[0],
      start: match.index,
      end,
      evidence: cur.length > 3 || /[A-Z]{3}/.test(cur) ? 'code' : 'symbol',
    });
    if (range?.groups?.num) {
      const second = valueOf(range.groups.num, range.groups.scale ?? sharedScale);
      // The second end's own words ("$8,500"), not the join before it ("and $8,500").
      const joined = range[0].replace(/^\s?(?:-|–|—|(?:tot|to|bis|and|und|et|à|a|y|en)(?!\p{L}))\s?/u, '');
      const start = end + range[0].length - joined.length;
      if (second !== undefined)
        add({ value: second, currency, text: joined.trim(), start, end: end + range[0].length, evidence: 'range' });
    }
  }
  for (const match of text.matchAll(currencyAfter)) {
    const { cur = '', num = '', scale } = match.groups ?? {};
    const currency = codeOf(cur, scope.context);
    if (!currency || yearBeforeCode(text, match.index, num, cur)) continue;
    const value = valueOf(num, scale);
    if (value === undefined) continue;
    const isWord = /^\p{L}/u.test(cur) && !/^[A-Z]{3}$/.test(cur);
    add({
      value,
      currency,
      text: match[0],
      start: match.index,
      end: match.index + match[0].length,
      evidence: isWord ? 'word' : 'symbol',
    });
    const before = rangeBefore.exec(text.slice(Math.max(0, match.index - 40), match.index));
    if (before?.groups?.num) {
      const first = valueOf(before.groups.num, before.groups.scale ?? scale);
      const start = match.index - before[0].length;
      const own = before[0].replace(/\s?(?:-|–|—|(?<!\p{L})(?:tot|to|bis|and|und|et|à|a|y|en))\s?$/u, '');
      if (first !== undefined && Number(first) < Number(value))
        add({ value: first, currency, text: own.trim(), start, end: start + own.length, evidence: 'range' });
    }
  }
  for (const match of text.matchAll(spelled)) {
    const { words = '', cur = '' } = match.groups ?? {};
    const currency = codeOf(cur, scope.context);
    const value = wordsToDecimal(words.replace(/^a\s/i, 'one '));
    if (currency && value)
      add({
        value: canonical(value),
        currency,
        text: match[0],
        start: match.index,
        end: match.index + match[0].length,
        evidence: 'spelled',
      });
  }
  const implied = mostCommon(found.map((amount) => amount.currency));
  if (implied) {
    for (const match of text.matchAll(taxFigure)) {
      const value = valueOf(match.groups?.num ?? '', undefined);
      if (value !== undefined)
        add({
          value,
          currency: implied,
          text: match[0],
          start: match.index,
          end: match.index + match[0].length,
          evidence: 'implied',
        });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The same value in the same currency twice is one amount (the first mention keeps its span). */
export function distinctAmounts(amounts: FoundAmount[]): FoundAmount[] {
  const seen = new Set<string>();
  return amounts.filter((amount) => {
    const key = `${amount.value} ${amount.currency}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
