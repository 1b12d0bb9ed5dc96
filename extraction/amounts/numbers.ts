// Numbers as people write them in money, as exact decimal strings (never floats):
// "2,400.50", "1.234,56", "1 250,00", "1'250.–", "12.5k", "2,5 mln", "fifteen thousand".

/** Digits with thousands and decimal separators → "1234.56"; undefined when it is not one number. */
export function decimalOf(raw: string): string | undefined {
  const compact = raw.replace(/[\s\u00a0\u202f'’]/g, '').replace(/[.,]?[-–—]+$/, '');
  if (!/^\d[\d.,]*$/.test(compact)) return undefined;
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  let integer: string;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = Math.max(lastDot, lastComma);
    const thousands = decimal === lastDot ? ',' : '.';
    const head = compact.slice(0, decimal);
    if (
      !head
        .split(thousands)
        .slice(1)
        .every((group) => group.length === 3)
    )
      return undefined;
    integer = head.replaceAll(thousands, '');
    fraction = compact.slice(decimal + 1);
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const parts = compact.split(mark);
    const tail = parts.at(-1)!;
    if (parts.length > 2 || (tail.length === 3 && parts[0] !== '0')) {
      if (!parts.slice(1).every((part) => part.length === 3) || parts[0]!.length > 3) return undefined;
      integer = parts.join('');
    } else {
      integer = parts.slice(0, -1).join('');
      fraction = tail;
    }
  } else {
    integer = compact;
  }
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction)) return undefined;
  return canonical(fraction ? `${integer}.${fraction}` : integer);
}

/** "0012.50" → "12.5", "1200.00" → "1200": one spelling per value, so sets compare. */
export function canonical(decimal: string): string {
  let [integer = '0', fraction = ''] = decimal.split('.');
  integer = integer.replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  return fraction ? `${integer}.${fraction}` : integer;
}

/** A decimal string times 10^power, exactly. */
export function shiftDecimal(decimal: string, power: number): string {
  const [integer = '0', fraction = ''] = decimal.split('.');
  const digits = integer + fraction;
  const point = integer.length + power;
  if (point >= digits.length) return canonical(digits + '0'.repeat(point - digits.length));
  if (point <= 0) return canonical(`0.${'0'.repeat(-point)}${digits}`);
  return canonical(`${digits.slice(0, point)}.${digits.slice(point)}`);
}

const scaleWords: Record<string, number> = {
  k: 3,
  thousand: 3,
  tausend: 3,
  mille: 3,
  mil: 3,
  duizend: 3,
  m: 6,
  mn: 6,
  mln: 6,
  mio: 6,
  million: 6,
  millions: 6,
  millionen: 6,
  millones: 6,
  millón: 6,
  miljoen: 6,
  bn: 9,
  billion: 9,
  milliard: 9,
  milliarden: 9,
  mrd: 9,
};

export const scalePattern =
  '(?:\\s?(?:k|K|m|M|mn|mln|Mio\\.?|Mrd\\.?|bn|thousand|tausend|mille|mil|duizend|millions?|millionen|millones|millón|miljoen|billion|milliarden?)(?![\\p{L}\\d]))';

/** Power of ten of a scale word ("k" 3, "Mio." 6); 0 when there is none. */
export function scalePower(word: string | undefined): number {
  if (!word) return 0;
  return scaleWords[word.trim().toLowerCase().replace(/\.$/, '')] ?? 0;
}

const units: Record<string, number> = {
  one: 1,
  a: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

export const numberWordPattern =
  '(?:one|a|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)';

/** "fifteen thousand", "two hundred and fifty" → "15000", "250" (English only). */
export function wordsToDecimal(words: string): string | undefined {
  const tokens = words
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((token) => token && token !== 'and');
  let total = 0;
  let current = 0;
  let seen = false;
  for (const token of tokens) {
    if (token in units) {
      current += units[token]!;
      seen = true;
    } else if (token === 'hundred') current = (current || 1) * 100;
    else if (token === 'thousand' || token === 'million') {
      total += (current || 1) * (token === 'thousand' ? 1_000 : 1_000_000);
      current = 0;
      seen = true;
    } else return undefined;
  }
  return seen ? String(total + current) : undefined;
}
