// The language a message is written in, and how its sender writes numeric dates.
import { detect } from 'tinyld';

export type Language = 'en' | 'de' | 'fr' | 'es' | 'nl';
export const languages: readonly Language[] = ['en', 'de', 'fr', 'es', 'nl'];

/** Detected among the five supported languages; English when the text is too short to tell. */
export function languageOf(text: string): Language {
  const sample = text.slice(0, 2_000);
  if (sample.replace(/[^\p{L}]/gu, '').length < 12) return 'en';
  const found = detect(sample, { only: [...languages] });
  return (languages as readonly string[]).includes(found) ? (found as Language) : 'en';
}

const dayFirstTlds = new Set([
  'uk',
  'ie',
  'au',
  'nz',
  'za',
  'in',
  'sg',
  'hk',
  'eu',
  'de',
  'fr',
  'es',
  'nl',
  'be',
  'ch',
  'at',
  'it',
  'pt',
  'se',
  'dk',
  'no',
  'fi',
  'pl',
  'mx',
  'ar',
]);

/**
 * Whether 03/04 is 4 March: only in US English. The text itself decides first (a part over 12),
 * then the sender's country, spelling, currency and offset.
 */
export function monthFirst(
  language: Language,
  text: string,
  senderAddress: string | undefined,
  offsetMinutes: number,
): boolean {
  if (language !== 'en') return false;
  for (const match of text.matchAll(/(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?(?![\d/])/g)) {
    if (Number(match[1]) > 12) return false;
    if (Number(match[2]) > 12) return true;
  }
  const tld = senderAddress?.split('.').at(-1)?.toLowerCase() ?? '';
  if (tld === 'us') return true;
  if (dayFirstTlds.has(tld)) return false;
  if (/£|€|\bAU\$|\bNZ\$|\b(?:colour|favour|organis|centre|programme|cheque|licence|behaviour)/i.test(text))
    return false;
  return offsetMinutes <= -240 && offsetMinutes >= -600;
}
