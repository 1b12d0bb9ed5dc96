// Mentions the readers did not account for: a month, weekday, numeric date or relative day that
// is neither taken nor set aside, a currency sign or code that no amount covers. Where these are
// left over, a date or amount is more likely missed, whatever the readers are sure of: a signal
// for the confidence model, in every language the date names cover.
import { codePattern, symbolPattern, wordPattern } from '../amounts/currencies.ts';
import { monthPattern, weekdayPattern } from '../dates/names.ts';
import { contentKinds, type MessageStructure } from '../message/structure.ts';

export interface Span {
  start: number;
  end: number;
}

// Short month forms ("mar", "may", "jun") are too often words; the full names are not.
const fullMonths = monthPattern
  .split('|')
  .filter((name) => name.length > 3 && name !== 'mayo')
  .join('|');
const relativeDays = [
  'today|tonight|tomorrow|next week|this week|end of the week|end of the month|working days|business days',
  'heute|übermorgen|nächste woche|nächsten woche|diese woche|ende der woche|ende des monats|werktage|werktagen',
  "aujourd'hui|ce soir|demain|la semaine prochaine|cette semaine|fin de semaine|fin du mois|jours ouvrés|jours ouvrables",
  'hoy|esta noche|mañana|pasado mañana|la semana que viene|la próxima semana|esta semana|fin de mes|días hábiles',
  'vandaag|vanavond|morgen|overmorgen|volgende week|deze week|eind van de maand|werkdagen',
].join('|');
const dateMention = new RegExp(
  `(?<![\\p{L}\\d])(?:${fullMonths}|${weekdayPattern}|${relativeDays}|\\d{1,2}[./]\\d{1,2}(?:[./]\\d{2,4})?|\\d{4}-\\d{2}-\\d{2})(?![\\p{L}\\d])`,
  'giu',
);
const moneyMention = new RegExp(`${symbolPattern}|(?<![\\p{L}])(?:${codePattern}|${wordPattern})(?![\\p{L}])`, 'gu');

function leftOver(structure: MessageStructure, pattern: RegExp, explained: Span[]): number {
  let count = 0;
  for (const segment of structure.segments) {
    if (!contentKinds.has(segment.kind)) continue;
    const text = structure.text.slice(segment.start, segment.end);
    for (const match of text.matchAll(pattern)) {
      const start = segment.start + match.index;
      const end = start + match[0].length;
      if (!explained.some((span) => span.start < end && start < span.end)) count++;
    }
  }
  return count;
}

/** Date-like mentions in the message's own or forwarded text that no taken or set-aside date covers. */
export function unexplainedDateMentions(structure: MessageStructure, explained: Span[]): number {
  return leftOver(structure, dateMention, explained);
}

/** Currency signs, codes and names in the content that no found amount covers. */
export function unexplainedMoneyMentions(structure: MessageStructure, explained: Span[]): number {
  return leftOver(structure, moneyMention, explained);
}
