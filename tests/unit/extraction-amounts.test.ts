import { describe, expect, it } from 'vitest';
import { currencyContext } from '../../extraction/amounts/currencies.ts';
import { distinctAmounts, findAmounts } from '../../extraction/amounts/find-amounts.ts';
import { canonical, decimalOf, scalePower, shiftDecimal, wordsToDecimal } from '../../extraction/amounts/numbers.ts';
import { extractEmail } from '../../extraction/extract.ts';
import type { EmailInput } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';
import { email as mail } from '../support/extraction-email.ts';

/** Amounts of a text as [value, currency, the exact words of the span]. */
function amounts(text: string, sender?: string) {
  return findAmounts(text, { inContent: () => true, context: currencyContext(text, sender) }).map((a) => [
    a.value,
    a.currency,
    text.slice(a.start, a.end),
  ]);
}

const email = (overrides: Partial<EmailInput> & { text: string }) => mail({ subject: 'Budget', ...overrides });

describe('decimalOf', () => {
  it('decodes English, European, spaced and Swiss separators', () => {
    expect(decimalOf('1,250.00')).toBe('1250');
    expect(decimalOf('1.250,00')).toBe('1250');
    expect(decimalOf('1 250,00')).toBe('1250');
    expect(decimalOf("1'250.–")).toBe('1250');
    expect(decimalOf('1.234.567,89')).toBe('1234567.89');
    expect(decimalOf('2,400.50')).toBe('2400.5');
    expect(decimalOf('980,-')).toBe('980');
  });

  it('reads one separator before three digits as thousands, before one or two as decimals', () => {
    expect(decimalOf('1.250')).toBe('1250');
    expect(decimalOf('1,250')).toBe('1250');
    expect(decimalOf('12,5')).toBe('12.5');
    expect(decimalOf('12.5')).toBe('12.5');
    expect(decimalOf('0.250')).toBe('0.25');
  });

  it('refuses what is not one number', () => {
    expect(decimalOf('1.2.3')).toBeUndefined();
    expect(decimalOf('12,34,567')).toBeUndefined();
    expect(decimalOf('1,234.5.6')).toBeUndefined();
    expect(decimalOf('abc')).toBeUndefined();
    expect(decimalOf('')).toBeUndefined();
  });
});

describe('shiftDecimal', () => {
  it('multiplies by a power of ten exactly, without floats', () => {
    expect(shiftDecimal('12.5', 3)).toBe('12500');
    expect(shiftDecimal('3.2', 6)).toBe('3200000');
    expect(shiftDecimal('1250', -2)).toBe('12.5');
    expect(shiftDecimal('5', -3)).toBe('0.005');
    expect(shiftDecimal('0.001', 3)).toBe('1');
    expect(shiftDecimal('2.345', 2)).toBe('234.5');
  });

  it('keeps one spelling per value', () => {
    expect(canonical('0012.50')).toBe('12.5');
    expect(canonical('1200.00')).toBe('1200');
    expect(scalePower('Mio.')).toBe(6);
    expect(scalePower('k')).toBe(3);
    expect(scalePower(undefined)).toBe(0);
  });
});

describe('wordsToDecimal', () => {
  it('reads English number words', () => {
    expect(wordsToDecimal('fifteen thousand')).toBe('15000');
    expect(wordsToDecimal('two hundred and fifty')).toBe('250');
    expect(wordsToDecimal('one million two hundred thousand')).toBe('1200000');
    expect(wordsToDecimal('forty-five')).toBe('45');
    expect(wordsToDecimal('twelve hundred')).toBe('1200');
  });

  it('refuses words that are not a number', () => {
    expect(wordsToDecimal('five pounds')).toBeUndefined();
    expect(wordsToDecimal('and')).toBeUndefined();
  });
});

describe('findAmounts', () => {
  it('reads amounts in English, European and Swiss formats with the exact span', () => {
    expect(amounts('The fee is £1,250.00 for the whole project.')).toEqual([['1250', 'GBP', '£1,250.00']]);
    expect(amounts('Der Preis beträgt 1.250,00 € netto.')).toEqual([['1250', 'EUR', '1.250,00 €']]);
    expect(amounts('Budget: EUR 3.400 zzgl. MwSt.')).toEqual([['3400', 'EUR', 'EUR 3.400']]);
    expect(amounts("Das kostet CHF 1'250.– pauschal.")).toEqual([['1250', 'CHF', "CHF 1'250.–"]]);
    expect(amounts('Le forfait est de 1 250 € HT.')).toEqual([['1250', 'EUR', '1 250 €']]);
    expect(amounts('Preis: € 980,- inklusive Versand.')).toEqual([['980', 'EUR', '€ 980,-']]);
    expect(amounts('De offerte is € 1.950,- excl. btw.')).toEqual([['1950', 'EUR', '€ 1.950,-']]);
  });

  it('scales "k" and "million"', () => {
    expect(amounts('Our budget is around $12.5k.')).toEqual([['12500', 'USD', '$12.5k']]);
    expect(amounts('The grant is 3.2 million euros.')).toEqual([['3200000', 'EUR', '3.2 million euros']]);
    expect(amounts('The programme has £3.2 million.')).toEqual([['3200000', 'GBP', '£3.2 million']]);
    expect(amounts('fifteen thousand dollars')).toEqual([['15000', 'USD', 'fifteen thousand dollars']]);
  });

  it('gives both ends of a range with their own spans', () => {
    expect(amounts('We have between $6,000 and $8,500 for this.')).toEqual([
      ['6000', 'USD', '$6,000'],
      ['8500', 'USD', '$8,500'],
    ]);
    expect(amounts('Our budget is £4-5k.')).toEqual([
      ['4000', 'GBP', '£4'],
      ['5000', 'GBP', '5k'],
    ]);
    expect(amounts('Nous avons entre 3 000 et 4 500 €.')).toEqual([
      ['3000', 'EUR', '3 000'],
      ['4500', 'EUR', '4 500 €'],
    ]);
  });

  it('counts a rate once at its unit price, with the role rate', () => {
    const found = findAmounts('My rate is £450 per day.', {
      inContent: () => true,
      context: currencyContext('', undefined),
    });
    expect(found.map((a) => [a.value, a.currency, a.role])).toEqual([['450', 'GBP', 'rate']]);
    const daily = findAmounts('Mein Tagessatz ist 800 € zzgl. MwSt.', {
      inContent: () => true,
      context: currencyContext('', undefined),
    });
    expect(daily.map((a) => [a.value, a.role])).toEqual([['800', 'rate']]);
  });

  it('reads "$" by the qualified sign in the text or the sender\'s country', () => {
    expect(amounts('The quote was AU$4,500 including GST.')).toEqual([['4500', 'AUD', 'AU$4,500']]);
    expect(amounts('The total is NZ$2,100 plus GST.')).toEqual([['2100', 'NZD', 'NZ$2,100']]);
    expect(amounts('The total is $3,000.', 'kate@harbourside.com.au')).toEqual([['3000', 'AUD', '$3,000']]);
    expect(amounts('The total is $3,000.', 'kate@harbourside.com')).toEqual([['3000', 'USD', '$3,000']]);
  });

  it('gives a net or VAT figure without a sign the currency of the message', () => {
    const found = findAmounts('A 3.400 € deposit and the 2.600,00 + VAT balance.', {
      inContent: () => true,
      context: currencyContext('', undefined),
    });
    expect(found.map((a) => [a.value, a.currency, a.evidence])).toEqual([
      ['3400', 'EUR', 'symbol'],
      ['2600', 'EUR', 'implied'],
    ]);
  });

  it('never reads invoice, PO, VAT, IBAN or phone numbers, percentages or years as amounts', () => {
    expect(
      amounts(
        'Invoice INV-2026-0042 for PO 4500012345 is attached. VAT GB123456789. ' +
          'IBAN DE89 3704 0044 0532 0130 00. Call +44 20 7946 0958. Discount 15%. Since 2024.',
      ),
    ).toEqual([]);
    expect(amounts('Invoice #1250 € was paid.')).toEqual([]);
    expect(amounts('That is 20% off €500.')).toEqual([['500', 'EUR', '€500']]);
    expect(amounts('Our 2026 budget is €50,000.')).toEqual([['50000', 'EUR', '€50,000']]);
    expect(
      amounts('Rechnung Nr. 2026-118 über 1.450,00 € ist fällig. IBAN DE89 3704 0044 0532 0130 00, Tel. 030 1234567.'),
    ).toEqual([['1450', 'EUR', '1.450,00 €']]);
  });

  it('leaves out amounts outside the content', () => {
    const text = 'Our budget is £2,000.\n> Your quote was £5,000.';
    const found = findAmounts(text, {
      inContent: (index) => index < text.indexOf('>'),
      context: currencyContext(text, undefined),
    });
    expect(found.map((a) => a.value)).toEqual(['2000']);
  });

  it('keeps one of the same value and currency', () => {
    const text = 'Kosten: 1.250 EUR, also 1.250 EUR insgesamt, und 300 EUR Anzahlung.';
    const found = distinctAmounts(
      findAmounts(text, { inContent: () => true, context: currencyContext(text, undefined) }),
    );
    expect(found.map((a) => [a.value, a.start])).toEqual([
      ['1250', 8],
      ['300', 49],
    ]);
  });
});

describe('extractEmail amounts', () => {
  it('reads the amounts of the new text with roles, and none of the quoted history', () => {
    const result = extractEmail(
      email({
        subject: 'Re: Website',
        text:
          'Hi Sam,\n\nThe 2026 programme has a budget of £3.2 million, and for the website we have between $6,000 and ' +
          '$8,500. Your day rate of £450 per day is fine. PO 4500012345 covers it; our VAT number is GB 123 4567 89. ' +
          '15% goes to the deposit.\n\nThanks,\nJane\n\n' +
          'On Tue, 3 Mar 2026 at 14:02, Sam Carter <sam@northwind.studio> wrote:\n> My quote is £5,000 for the site.',
      }),
      { models: loadModels() },
    );
    const text = result.message.text;
    expect(result.amounts.map((a) => [a.value, a.currency, text.slice(a.span.start, a.span.end)])).toEqual([
      ['3200000', 'GBP', '£3.2 million'],
      ['6000', 'USD', '$6,000'],
      ['8500', 'USD', '$8,500'],
      ['450', 'GBP', '£450'],
    ]);
    expect(result.amounts[0]?.role).toBe('budget');
    expect(result.amounts[3]?.role).toBe('rate');
  });

  it('reads a German invoice: gross, net and VAT, and no reference numbers', () => {
    const result = extractEmail(
      email({
        subject: 'Rechnung 2026-0142',
        from: { name: 'Jana Albrecht', address: 'jana@albrecht-kaffee.de' },
        sentAt: '2026-03-04T10:00:00+01:00',
        text:
          'Hallo Sam,\n\nanbei unsere Rechnung Nr. 2026-0142 vom 2. März über 1.428,00 € (1.200,00 € netto zzgl. ' +
          '19 % MwSt. 228,00 €). Bitte überweisen Sie den Betrag bis zum 18. März auf IBAN DE89 3704 0044 0532 0130 ' +
          '00. Bei Fragen erreichen Sie mich unter +49 30 1234567.\n\nUSt-IdNr.: DE123456789\n\nViele Grüße\n' +
          'Jana Albrecht',
      }),
      { models: loadModels() },
    );
    expect(result.amounts.map((a) => [a.value, a.currency])).toEqual([
      ['1428', 'EUR'],
      ['1200', 'EUR'],
      ['228', 'EUR'],
    ]);
    expect(result.amounts[2]?.role).toBe('tax');
  });

  it('reads "$" from a .com.au sender as Australian dollars', () => {
    const result = extractEmail(
      email({
        from: { name: 'Kate Nguyen', address: 'kate@harbourside.com.au' },
        text: 'Hi Sam,\n\nWe can pay $3,000 now and $1,500 on delivery.\n\nCheers,\nKate',
      }),
      { models: loadModels() },
    );
    expect(result.amounts.map((a) => [a.value, a.currency])).toEqual([
      ['3000', 'AUD'],
      ['1500', 'AUD'],
    ]);
  });
});
