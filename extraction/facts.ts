// Whether a piece of text states money or a day: for callers that keep the sentences with facts
// in them (the generate node's context packer), with the extractor's own parsers.
import { currencyContext } from './amounts/currencies.ts';
import { findAmounts } from './amounts/find-amounts.ts';
import { findDateMentions } from './dates/find-dates.ts';
import { languageOf } from './text/locale.ts';

export function mentionsMoney(text: string): boolean {
  return findAmounts(text, { inContent: () => true, context: currencyContext(text, undefined) }).length > 0;
}

export function mentionsDay(text: string, reference: Date): boolean {
  const day = { year: reference.getUTCFullYear(), month: reference.getUTCMonth() + 1, day: reference.getUTCDate() };
  return findDateMentions(text, languageOf(text), { day, instant: reference, offsetMinutes: 0 }, false).length > 0;
}
