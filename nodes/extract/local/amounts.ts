// Money amounts with their currency, in integer minor units ("€ 1.980,00" → 198000 EUR).
// A number counts as money only next to a currency, or as a net/VAT figure or budget in a
// message whose currency is clear; bare numbers (phones, invoice numbers) never do.
import { normalizeNumber, numberWordPattern, scaleOf, toMinorUnits, wordsToNumber } from './numbers.ts';

export interface FoundAmount {
  text: string;
  index: number;
  amountMinor: number;
  currency: string;
  confidence: number;
}

const symbols: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  US$: 'USD',
  USD$: 'USD',
  A$: 'AUD',
  AU$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  NZ$: 'NZD',
  '¥': 'JPY',
  '₹': 'INR',
  zł: 'PLN',
  'Fr.': 'CHF',
};
const codes = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'JPY',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'SGD',
  'HKD',
  'INR',
  'BRL',
  'MXN',
  'ZAR',
  'CNY',
];
const words: [RegExp, string][] = [
  [/^euros?$/i, 'EUR'],
  [/^(dollars?|bucks)$/i, '$'],
  [/^(pounds?|quid)( sterling)?$/i, 'GBP'],
  [/^(swiss )?francs?$/i, 'CHF'],
  [/^yen$/i, 'JPY'],
  [/^(złoty|zloty|złotych)$/i, 'PLN'],
  [/^kronor$/i, 'SEK'],
];

const symbolPattern = '(?:US\\$|USD\\$|A\\$|AU\\$|C\\$|CA\\$|NZ\\$|\\$|€|£|¥|₹|zł|Fr\\.)';
const codePattern = `(?:${codes.join('|')})`;
const wordPattern =
  '(?:euros?|dollars?|bucks|pounds?(?: sterling)?|quid|(?:swiss )?francs?|yen|złoty|zloty|złotych|kronor)';
const numberPattern = "\\d{1,3}(?:[,.'\\u00a0\\u202f ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?";
const scalePattern = '(?:\\s?(?:k|K|m|M|mn|bn|Mio\\.?|thousand|million|billion)(?![\\p{L}\\d]))';

const currencyFirst = new RegExp(
  `(?<![\\p{L}\\d])(?<cur>${symbolPattern}|${codePattern}(?![\\p{L}]))\\s?(?<num>${numberPattern})(?<scale>${scalePattern})?(?:,[-–])?`,
  'gu',
);
const currencyAfter = new RegExp(
  `(?<![\\p{L}\\d.,])(?<num>${numberPattern})(?<scale>${scalePattern})?\\s?(?<cur>${symbolPattern}|${codePattern}(?![\\p{L}])|${wordPattern}(?![\\p{L}]))`,
  'giu',
);
const inWords = new RegExp(
  `(?<![\\p{L}])(?<words>(?:${numberWordPattern}[\\s-]+)*${numberWordPattern})\\s+(?<cur>${wordPattern}|${codePattern})(?![\\p{L}])`,
  'giu',
);
// "2.600,00 + VAT", "5.000 netto": a net or gross figure, currency from the rest of the message.
const taxFigure = new RegExp(
  `(?<![\\p{L}\\d.,])(?<num>\\d{1,3}(?:[.,]\\d{3})*[.,]\\d{2}|\\d{1,3}(?:[.,]\\d{3})+)\\s*(?:\\+\\s*)?(?:VAT|MwSt\\.?|USt\\.?|TVA|IVA|BTW|HT|net|netto|gross|brutto|excl\\.?|incl\\.?|plus VAT)(?![\\p{L}])`,
  'gu',
);
const rangeAfter = new RegExp(
  `^\\s?(?:-|–|—|to|bis)\\s?(?:${symbolPattern}|${codePattern})?\\s?(?<num>${numberPattern})(?<scale>${scalePattern})?`,
  'u',
);
const rangeBefore = new RegExp(`(?<num>${numberPattern})(?<scale>${scalePattern})?\\s?(?:-|–|—|to|bis)\\s?$`, 'u');

function currencyCode(token: string, dollarCurrency: string): string | undefined {
  const trimmed = token.trim();
  if (trimmed === '$') return dollarCurrency;
  if (symbols[trimmed]) return symbols[trimmed];
  if (codes.includes(trimmed.toUpperCase()) && trimmed === trimmed.toUpperCase()) return trimmed.toUpperCase();
  for (const [pattern, code] of words) if (pattern.test(trimmed)) return code === '$' ? dollarCurrency : code;
  return undefined;
}

const minorDigitsCache = new Map<string, number>();
/** Decimals of a currency's minor unit (JPY 0, EUR 2), from the ICU data Node ships. */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

function amountOf(raw: string, scale: string | undefined, currency: string): number | undefined {
  const decimal = normalizeNumber(raw);
  return decimal === undefined
    ? undefined
    : toMinorUnits(decimal, scaleOf(scale?.trim().replace(/\.$/, '')), minorDigits(currency));
}

export interface AmountHints {
  /** What "$" means for this sender (USD unless their domain says CAD, AUD…). */
  dollarCurrency?: string;
  /** Currency of the sender's country, for figures written without one. */
  senderCurrency?: string;
}

export function findAmounts(text: string, hints: AmountHints = {}): FoundAmount[] {
  const dollar = hints.dollarCurrency ?? 'USD';
  const found: FoundAmount[] = [];
  const taken = (index: number, length: number) =>
    found.some((other) => index < other.index + other.text.length && other.index < index + length);
  const add = (amount: FoundAmount) => {
    if (!taken(amount.index, amount.text.length)) found.push(amount);
  };

  for (const match of text.matchAll(currencyFirst)) {
    const { cur = '', num = '', scale } = match.groups ?? {};
    const currency = currencyCode(cur, dollar);
    if (!currency) continue;
    const rest = text.slice(match.index + match[0].length);
    const range = rangeAfter.exec(rest);
    // "£4-5k": the scale written once applies to both ends.
    const sharedScale =
      scale ??
      (range?.groups?.scale && Number(normalizeNumber(num)) < Number(normalizeNumber(range.groups.num ?? ''))
        ? range.groups.scale
        : undefined);
    const minor = amountOf(num, sharedScale, currency);
    if (minor === undefined) continue;
    add({
      text: match[0].trim(),
      index: match.index,
      amountMinor: minor,
      currency,
      confidence: cur === '$' && dollar === 'USD' ? 0.85 : 0.9,
    });
    if (range?.groups) {
      const second = amountOf(range.groups.num ?? '', range.groups.scale ?? sharedScale, currency);
      const at = match.index + match[0].length + (range.index ?? 0);
      if (second !== undefined)
        add({
          text: range[0].replace(/^\s?(?:-|–|—|to|bis)\s?/, '').trim(),
          index: at,
          amountMinor: second,
          currency,
          confidence: 0.8,
        });
    }
  }
  for (const match of text.matchAll(currencyAfter)) {
    const { cur = '', num = '', scale } = match.groups ?? {};
    const currency = currencyCode(cur, dollar);
    if (!currency) continue;
    const minor = amountOf(num, scale, currency);
    if (minor === undefined) continue;
    const isWord = /^\p{L}/u.test(cur) && !codes.includes(cur);
    add({ text: match[0].trim(), index: match.index, amountMinor: minor, currency, confidence: isWord ? 0.8 : 0.9 });
    const before = rangeBefore.exec(text.slice(Math.max(0, match.index - 30), match.index));
    if (before?.groups) {
      const firstScale = before.groups.scale ?? scale;
      const first = amountOf(before.groups.num ?? '', firstScale, currency);
      const at = match.index - before[0].length;
      if (first !== undefined)
        add({
          text: before[0].replace(/\s?(?:-|–|—|to|bis)\s?$/, '').trim(),
          index: at,
          amountMinor: first,
          currency,
          confidence: 0.8,
        });
    }
  }
  for (const match of text.matchAll(inWords)) {
    const { words: spelled = '', cur = '' } = match.groups ?? {};
    const currency = currencyCode(cur, dollar);
    const decimal = wordsToNumber(spelled.replace(/^(?:a|and)\s+/i, (w) => (/^a\s/i.test(w) ? 'one ' : '')));
    if (!currency || decimal === undefined || /^\d+(?:[.,]\d+)?$/.test(spelled.trim())) continue;
    const minor = toMinorUnits(decimal, 1, minorDigits(currency));
    if (minor !== undefined)
      add({ text: match[0].trim(), index: match.index, amountMinor: minor, currency, confidence: 0.7 });
  }
  // Figures with no currency take the message's (the others found) or the sender's country's.
  const implied = mostCommon(found.map((amount) => amount.currency)) ?? hints.senderCurrency;
  if (implied) {
    for (const match of text.matchAll(taxFigure)) {
      const minor = amountOf(match.groups?.num ?? '', undefined, implied);
      if (minor !== undefined)
        add({ text: match[0].trim(), index: match.index, amountMinor: minor, currency: implied, confidence: 0.55 });
    }
  }
  return dedupe(found.sort((a, b) => a.index - b.index));
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The same amount written twice is one amount. */
function dedupe(amounts: FoundAmount[]): FoundAmount[] {
  const seen = new Set<string>();
  return amounts.filter((amount) => {
    const key = `${amount.amountMinor} ${amount.currency}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
