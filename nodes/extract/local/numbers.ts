// Numbers as people write them in money: "2,400.50", "1.234,56", "8 000", "1'250", "1.5k",
// "twelve thousand". Results are decimal strings, so minor units never go through floats.

/** Parses digits with thousands/decimal separators into a plain decimal string ("1234.56"). */
export function normalizeNumber(raw: string): string | undefined {
  const compact = raw.replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(compact)) return undefined;
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  let integer: string;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    // Both separators: the later one is the decimal mark.
    const decimal = Math.max(lastDot, lastComma);
    integer = compact.slice(0, decimal).replace(/[.,]/g, '');
    fraction = compact.slice(decimal + 1);
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const parts = compact.split(mark);
    const tail = parts[parts.length - 1]!;
    if (parts.length > 2 || tail.length === 3) {
      // "8,500", "1.200", "1.234.567": thousands separators.
      if (!parts.slice(1).every((part) => part.length === 3)) return undefined;
      integer = parts.join('');
    } else {
      integer = parts.slice(0, -1).join('');
      fraction = tail;
    }
  } else {
    integer = compact;
  }
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction)) return undefined;
  return fraction ? `${integer}.${fraction}` : integer;
}

const scales: Record<string, number> = {
  k: 1_000,
  thousand: 1_000,
  tausend: 1_000,
  mille: 1_000,
  m: 1_000_000,
  mn: 1_000_000,
  mio: 1_000_000,
  million: 1_000_000,
  millionen: 1_000_000,
  bn: 1_000_000_000,
  billion: 1_000_000_000,
};

export function scaleOf(word: string | undefined): number {
  return word ? (scales[word.toLowerCase().replace(/s$/, '')] ?? scales[word.toLowerCase()] ?? 1) : 1;
}

/** A decimal string times a scale, in minor units with `digits` decimals, exactly. */
export function toMinorUnits(decimal: string, scale: number, digits: number): number | undefined {
  const [integer = '0', fraction = ''] = decimal.split('.');
  // Scale is a power of ten: shift the decimal point instead of multiplying floats.
  const shift = Math.round(Math.log10(scale)) + digits;
  const digitsAll = integer + fraction;
  const pointAt = integer.length + shift;
  const whole =
    pointAt >= digitsAll.length ? digitsAll + '0'.repeat(pointAt - digitsAll.length) : digitsAll.slice(0, pointAt);
  const rest = pointAt >= digitsAll.length ? '' : digitsAll.slice(pointAt);
  let value = Number(whole || '0');
  if (rest && Number(rest[0]) >= 5) value += 1;
  return Number.isSafeInteger(value) ? value : undefined;
}

const units: Record<string, number> = {
  zero: 0,
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
  '(?:zero|one|a|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|and|\\d+(?:[.,]\\d+)?)';

/** "fifteen thousand", "two hundred and fifty", "1.5 million", "twenty-five" → a decimal string. */
export function wordsToNumber(words: string): string | undefined {
  const tokens = words
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((token) => token && token !== 'and');
  if (tokens.length === 0) return undefined;
  let total = 0;
  let current = 0;
  let seenNumber = false;
  for (const token of tokens) {
    if (/^\d+(?:[.,]\d+)?$/.test(token)) {
      current += Number(token.replace(',', '.'));
      seenNumber = true;
    } else if (token in units) {
      current += units[token]!;
      seenNumber = true;
    } else if (token === 'hundred') {
      current = (current || 1) * 100;
    } else if (token === 'thousand' || token === 'million') {
      total += (current || 1) * (token === 'thousand' ? 1_000 : 1_000_000);
      current = 0;
      seenNumber = true;
    } else {
      return undefined;
    }
  }
  if (!seenNumber) return undefined;
  const value = total + current;
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : undefined;
}
