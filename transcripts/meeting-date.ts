// When a meeting took place, as far as the file itself says: a date in its header (Meet, Otter,
// Teams write one) or in its file name (`2026-11-24 kickoff.vtt`, Zoom's `GMT20261124-140012_…`).
// A time without a zone is read as UTC (the file does not say which zone it means): callers that
// know better pass the date explicitly.

const months = [
  ['jan', 'janv', 'januar', 'janvier', 'january'],
  ['feb', 'févr', 'fevr', 'februar', 'février', 'february'],
  ['mar', 'mär', 'märz', 'mars', 'march'],
  ['apr', 'avr', 'april', 'avril'],
  ['may', 'mai'],
  ['jun', 'juin', 'juni', 'june'],
  ['jul', 'juil', 'juli', 'juillet', 'july'],
  ['aug', 'août', 'august'],
  ['sep', 'sept', 'september', 'septembre'],
  ['oct', 'okt', 'oktober', 'octobre', 'october'],
  ['nov', 'november', 'novembre'],
  ['dec', 'dez', 'dezember', 'déc', 'décembre', 'december'],
];

function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, '');
  const index = months.findIndex((names) => names.includes(lower));
  return index < 0 ? undefined : index + 1;
}

function instant(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  offsetMinutes = 0,
): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const date = new Date(ms);
  if (date.getUTCDate() !== day && offsetMinutes === 0) return undefined;
  return date.toISOString();
}

function hour24(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = /^p/i.test(meridiem);
  return (hour % 12) + (pm ? 12 : 0);
}

function offsetOf(zone: string | undefined): number {
  const match = /([+-])(\d{1,2})(?::?(\d{2}))?/.exec(zone ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

const monthWord = '([\\p{L}]{3,9}\\.?)';
const time = '(?:,?\\s+(?:at\\s+|à\\s+|um\\s+)?(\\d{1,2})[:h.](\\d{2})(?::(\\d{2}))?\\s*([ap]\\.?m\\.?)?)?';
const zone = '(?:\\s*(?:GMT|UTC)?\\s*([+-]\\d{1,2}(?::?\\d{2})?))?';
const isoLike = new RegExp(`(\\d{4})-(\\d{2})-(\\d{2})(?:[T\\s]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?${zone}`, 'u');
const monthFirst = new RegExp(`${monthWord}\\s+(\\d{1,2}),?\\s+(\\d{4})${time}${zone}`, 'iu');
const dayFirst = new RegExp(`(\\d{1,2})\\.?\\s+${monthWord}\\s+(\\d{4})${time}${zone}`, 'iu');

/** The first date (and time) written in a header line, as an ISO instant. */
export function dateInText(text: string): string | undefined {
  const iso = isoLike.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, z] = iso;
    return instant(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), offsetOf(z));
  }
  const mf = monthFirst.exec(text);
  const mfMonth = mf ? monthOf(mf[1]!) : undefined;
  if (mf && mfMonth) {
    const [, , d, y, h, mi, s, ampm, z] = mf;
    return instant(
      Number(y),
      mfMonth,
      Number(d),
      hour24(Number(h ?? 0), ampm),
      Number(mi ?? 0),
      Number(s ?? 0),
      offsetOf(z),
    );
  }
  const df = dayFirst.exec(text);
  const dfMonth = df ? monthOf(df[2]!) : undefined;
  if (df && dfMonth) {
    const [, d, , y, h, mi, s, ampm, z] = df;
    return instant(
      Number(y),
      dfMonth,
      Number(d),
      hour24(Number(h ?? 0), ampm),
      Number(mi ?? 0),
      Number(s ?? 0),
      offsetOf(z),
    );
  }
  return undefined;
}

/** The meeting's date from a file name or uri: Zoom's `GMT20261124-140012` (UTC), `2026-11-24`, `20261124`. */
export function dateInFileName(uri: string): string | undefined {
  const name = uri.split(/[/\\]/).at(-1) ?? uri;
  const zoom = /GMT(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(name);
  if (zoom) {
    const [, y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = zoom.map(Number);
    return instant(y, mo, d, h, mi, s);
  }
  const dashed = /(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?:[T _-](\d{2})[:.h-]?(\d{2}))?(?!\d)/.exec(name);
  if (dashed) {
    const [, y, mo, d, h, mi] = dashed;
    return instant(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0));
  }
  const compact = /(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)/.exec(name);
  if (compact) return instant(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return undefined;
}
