// ISO 4217 minor units: how many digits a currency has after the decimal point. From the ISO
// list itself, not from CLDR/Intl: CLDR gives the digits people usually *display*, and differs
// from ISO for 17 currencies (IQD 0 there, 3 here; HUF, IDR, COP, PKR … 0 there, 2 here).
// An amount is stored in ISO minor units, the unit banks and payment networks settle in.

/** Currencies with other than 2 minor digits (ISO 4217 list one, 2025 amendments). */
const minorDigitsOtherThanTwo: Readonly<Record<string, number>> = {
  // 0 digits
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // 3 digits
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // 4 digits (units of account)
  CLF: 4,
  UYW: 4,
};

/** Active ISO 4217 currencies with 2 minor digits. */
const twoDigitCurrencies = `
  AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
  CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
  GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
  LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
  PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC
  SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG
`;

/**
 * Withdrawn recently but still on records and in Intl (ANG → XCG 2025, HRK → EUR 2023,
 * SLL → SLE, ZWL → ZWG, CUC): amounts in them stay readable. All had 2 digits.
 */
const withdrawnTwoDigitCurrencies = 'ANG CUC HRK SLL ZWL';

const minorDigits = new Map<string, number>([
  ...`${twoDigitCurrencies} ${withdrawnTwoDigitCurrencies}`
    .split(/\s+/)
    .filter(Boolean)
    .map((code): [string, number] => [code, 2]),
  ...Object.entries(minorDigitsOtherThanTwo),
]);

/**
 * ISO 4217 minor digits of `code` (JPY 0, EUR 2, KWD 3, CLF 4), or undefined for a code that is
 * no currency one can invoice in (XYZ; metals and drawing rights like XAU, XDR, whose minor unit
 * ISO gives as "N.A.").
 */
export function iso4217MinorDigits(code: string): number | undefined {
  return minorDigits.get(code);
}

/** Every code `iso4217MinorDigits` knows, for tests and for pickers. */
export function iso4217Codes(): string[] {
  return [...minorDigits.keys()].sort();
}
