// What a message's origin says about how it writes dates and which currency it means.

const countryCurrency: Record<string, string> = {
  de: 'EUR',
  at: 'EUR',
  fr: 'EUR',
  it: 'EUR',
  es: 'EUR',
  nl: 'EUR',
  be: 'EUR',
  ie: 'EUR',
  pt: 'EUR',
  fi: 'EUR',
  gr: 'EUR',
  lu: 'EUR',
  sk: 'EUR',
  si: 'EUR',
  ee: 'EUR',
  lv: 'EUR',
  lt: 'EUR',
  hr: 'EUR',
  eu: 'EUR',
  uk: 'GBP',
  ch: 'CHF',
  li: 'CHF',
  se: 'SEK',
  no: 'NOK',
  dk: 'DKK',
  pl: 'PLN',
  cz: 'CZK',
  hu: 'HUF',
  us: 'USD',
  ca: 'CAD',
  au: 'AUD',
  nz: 'NZD',
  jp: 'JPY',
  in: 'INR',
  sg: 'SGD',
  br: 'BRL',
  mx: 'MXN',
};

/** Two-letter TLDs used as generic names (startups, media), which say nothing about a country. */
const genericTwoLetter = new Set(['io', 'co', 'ai', 'me', 'tv', 'fm', 'ly', 'to', 'gg', 'sh', 'so', 'cc', 'ws']);

/** Country-code TLDs that write numeric dates month first. */
const monthFirstCountries = new Set(['us', 'ca', 'ph']);

export function topLevelDomain(address: string | undefined): string | undefined {
  const domain = address?.split('@')[1]?.toLowerCase().replace(/>$/, '');
  return domain?.split('.').pop();
}

/** The currency a sender most likely means when none is written, from their domain. */
export function currencyOfSender(address: string | undefined): string | undefined {
  const tld = topLevelDomain(address);
  return tld ? countryCurrency[tld] : undefined;
}

/**
 * Month first or day first for "05/06": an unambiguous numeric date in the text decides; else the
 * sender's country domain; else the currency symbols used; else month first (generic .com senders).
 */
export function guessDateOrder(text: string, address: string | undefined): 'month-first' | 'day-first' {
  for (const match of text.matchAll(/\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/g)) {
    if (Number(match[1]) > 12 && Number(match[2]) <= 12) return 'day-first';
    if (Number(match[2]) > 12 && Number(match[1]) <= 12) return 'month-first';
  }
  const tld = topLevelDomain(address);
  if (tld && tld.length === 2 && !genericTwoLetter.has(tld))
    return monthFirstCountries.has(tld) ? 'month-first' : 'day-first';
  if (/[€£]|\b(EUR|GBP|CHF)\b/.test(text)) return 'day-first';
  return 'month-first';
}
