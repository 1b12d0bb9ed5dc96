// Currency markers as written in mail, and what "$" means for a sender.

export const symbolCodes: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  US$: 'USD',
  USD$: 'USD',
  A$: 'AUD',
  AU$: 'AUD',
  AUD$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  CAD$: 'CAD',
  NZ$: 'NZD',
  NZD$: 'NZD',
  MX$: 'MXN',
  R$: 'BRL',
  S$: 'SGD',
  HK$: 'HKD',
  '¥': 'JPY',
  '₹': 'INR',
  zł: 'PLN',
  'Fr.': 'CHF',
  'SFr.': 'CHF',
  'sFr.': 'CHF',
};

export const isoCodes = [
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
  'ARS',
  'CLP',
  'COP',
  'PEN',
  'UYU',
  'ZAR',
  'CNY',
  'TRY',
  'RON',
  'BGN',
  'ISK',
  'ILS',
  'AED',
];

const wordCodes: [RegExp, string][] = [
  [/^euros?$/i, 'EUR'],
  [/^(?:us )?dollars?$|^bucks$/i, '$'],
  [/^(?:pounds?|quid)(?: sterling)?$/i, 'GBP'],
  [/^(?:swiss )?francs?$|^franken$/i, 'CHF'],
  [/^pesos?(?: mexicanos?)?$/i, 'PESO'],
  [/^yen$/i, 'JPY'],
];

export const symbolPattern =
  '(?:US\\$|USD\\$|AUD?\\$|A\\$|CAD?\\$|C\\$|NZD?\\$|MX\\$|R\\$|S\\$|HK\\$|\\$|€|£|¥|₹|zł|S?[Ff]r\\.)';
export const codePattern = `(?:${isoCodes.join('|')})`;
export const wordPattern =
  '(?:euros?|Euros?|(?:US )?dollars?|bucks|pounds?(?: sterling)?|quid|(?:[Ss]wiss )?francs?|Franken|pesos?(?: mexicanos?)?|yen)';

/** What "$" (and "pesos") mean for this message. */
export interface CurrencyContext {
  dollar: string;
  peso: string;
}

const dollarByTld: Record<string, string> = {
  au: 'AUD',
  nz: 'NZD',
  ca: 'CAD',
  sg: 'SGD',
  hk: 'HKD',
  mx: 'MXN',
  ar: 'ARS',
  cl: 'CLP',
  co: 'COP',
};

/** The sender's country decides "$" (AUD for .com.au …); a qualified "AU$" in the text wins. */
export function currencyContext(text: string, senderAddress: string | undefined): CurrencyContext {
  const tld = senderAddress?.split('.').at(-1)?.toLowerCase() ?? '';
  const qualified = /\b(AUD?|A|CAD?|C|NZD?|MX|S|HK)\$/.exec(text)?.[1];
  const fromText = qualified ? symbolCodes[`${qualified}$`] : undefined;
  const dollar = fromText ?? dollarByTld[tld] ?? 'USD';
  const peso = tld === 'ar' ? 'ARS' : tld === 'cl' ? 'CLP' : tld === 'co' ? 'COP' : 'MXN';
  return { dollar, peso };
}

export function codeOf(token: string, context: CurrencyContext): string | undefined {
  const trimmed = token.trim();
  if (trimmed === '$') return context.dollar;
  const symbol = symbolCodes[trimmed];
  if (symbol) return symbol;
  if (isoCodes.includes(trimmed)) return trimmed;
  for (const [pattern, code] of wordCodes) {
    if (!pattern.test(trimmed)) continue;
    if (code === '$') return context.dollar === 'MXN' || context.dollar === 'ARS' ? 'USD' : context.dollar;
    return code === 'PESO' ? context.peso : code;
  }
  return undefined;
}
