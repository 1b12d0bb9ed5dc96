// The role a mentioned day plays: something the message commits to or proposes (a deadline, a
// meeting, a payment due, an event), or something it must never be taken as (a past event, a
// superseded or cancelled date, a vague span, the message's own day).
import { compare, type Day } from './calendar.ts';
import type { DateMention } from './find-dates.ts';
import { monthPattern } from './names.ts';
import {
  cancelled,
  futureContext,
  moveVerb,
  negatedBefore,
  pastContext,
  pastExpression,
  supersededBefore,
  unavailableAfter,
  unavailableBefore,
} from './lexicon.ts';
import {
  deadlineCue,
  dueCue,
  eventCue,
  meetingCue,
  morningNoun,
  recurring,
  sameDayExpression,
  vaguePrefix,
  weekend,
} from './role-cues.ts';

const namedMonth = new RegExp(`(?<![\\p{L}])(?:${monthPattern})(?![\\p{L}])`, 'iu');

export type DateRole = 'deadline' | 'meeting' | 'due' | 'event' | 'date';
export type DiscardReason = 'past' | 'superseded' | 'cancelled' | 'vague' | 'message-day';

export interface RoleDecision {
  role?: DateRole;
  discard?: DiscardReason;
  /** Signals for the confidence model. */
  signals: string[];
}

const lastWeek =
  /(?:last|previous|letzte[nr]?|vergangene[nr]?|vorige[nr]?|dernière|pasada|vorige|afgelopen)\s+(?:week|woche|semaine|semana)\s*(?:on\s+|am\s+|le\s+|el\s+|op\s+)?$|(?:la\s+semaine\s+dernière|la\s+semana\s+pasada)\s*$/iu;
/** "since Tuesday", "seit Montag", "depuis lundi": the day something began, already past. */
const sinceBefore =
  /(?<![\p{L}])(?:since|ever since|seit|seitdem|depuis|desde|sinds|sedert)\s+(?:last\s+|the\s+|dem\s+|le\s+|el\s+|de\s+|afgelopen\s+)?$/iu;
/** "every other Tuesday", "jeden Montag", "chaque lundi": a rule that repeats, not a day. */
const everyBefore =
  /(?<![\p{L}])(?:every|each|jede[nmrs]?|chaque|tous les|cada|todos los|elke|iedere)\s+(?:other\s+|second\s+|zweiten\s+|deux\s+|dos\s+|twee\s+)?$/iu;
const toWords =
  /(?<![\p{L}])(?:to|auf|nach|au|à|al|a|naar|op|zum|zur|for|für|pour|para|voor)\s*(?:the\s+|den\s+|le\s+|el\s+|de\s+)?$/iu;
const fromWords = /(?<![\p{L}])(?:from|von|vom|du|de|del|van)\s*(?:the\s+|den\s+|le\s+|el\s+|de\s+)?$/iu;

/** The clause of `sentence` around `at` (split at ; , and "but"-words). */
function clauseAround(sentence: string, at: number): string {
  const parts = sentence.split(
    /(?<=[;,:–—])\s|\s(?=(?:but|aber|mais|pero|maar|however|though)\b)|\s(?=(?:and|und|et|y|en)\s+(?:it|we|i|they|you|es|wir|ich|sie|il|nous|je|lo|la|we|ik|het)\b)/i,
  );
  let offset = 0;
  for (const part of parts) {
    const start = sentence.indexOf(part, offset);
    if (at >= start && at <= start + part.length) return part;
    offset = start + part.length;
  }
  return sentence;
}

export interface RoleContext {
  sentence: string;
  /** Where the mention starts within the sentence. */
  at: number;
  ref: Day;
  /** The other mentions of the same sentence (positions within the sentence). */
  siblings: { at: number; end: number }[];
}

export function decideRole(mention: DateMention, context: RoleContext): RoleDecision {
  const signals: string[] = [];
  const { sentence, at } = context;
  const before = sentence.slice(Math.max(0, at - 28), at);
  const clause = clauseAround(sentence, at);
  const clauseBefore = clause.slice(0, Math.max(0, clause.indexOf(mention.text)));

  if (mention.form === 'schedule') return { discard: 'vague', signals: ['weekly-schedule'] };
  // "the end of May" is a part of a month, as vague as "mid-May", unless it is a deadline ("by the
  // end of May", "bis Ende Mai"); "the end of the month" is not (its last day, by convention).
  if (
    mention.form === 'end-of-period' &&
    namedMonth.test(mention.text) &&
    !deadlineCue.test(before.slice(-16)) &&
    !dueCue.test(sentence)
  )
    return { discard: 'vague', signals: ['month-part'] };
  if (weekend.test(mention.text)) return { discard: 'vague', signals: ['weekend'] };
  if (recurring.test(sentence.slice(at + mention.text.length, at + mention.text.length + 24)))
    return { discard: 'vague', signals: ['recurring'] };
  if (everyBefore.test(before)) return { discard: 'vague', signals: ['recurring'] };
  if (/^(?:mañana|morgen)$/i.test(mention.text.trim()) && morningNoun.test(before))
    return { discard: 'vague', signals: ['morning-noun'] };
  if (vaguePrefix.test(before.slice(-24)) && mention.form !== 'weekday')
    return { discard: 'vague', signals: ['vague-prefix'] };
  if (mention.probablyPast) return { discard: 'past', signals: ['recent-past-day'] };
  if (pastExpression.test(mention.text) || pastExpression.test(before.slice(-8)) || lastWeek.test(before.slice(-24)))
    return { discard: 'past', signals: ['past-expression'] };
  if (sinceBefore.test(before)) return { discard: 'past', signals: ['since'] };
  const order = compare(mention.day, context.ref);
  if (order < 0) return { discard: 'past', signals: ['before-message-day'] };
  if (order === 0) {
    const named = sameDayExpression.test(mention.text) || sameDayExpression.test(before.slice(-20));
    // "today" counts only as a deadline or plan ("by 5pm today", "can we talk tonight"), not for what was done today.
    if (!named || (pastContext.test(clause) && !futureContext.test(clause)) || !futureContext.test(sentence))
      return { discard: 'message-day', signals: ['message-day'] };
  }

  if (supersededBefore.test(before.slice(-18)) || negatedBefore.test(before))
    return { discard: 'superseded', signals: ['superseded-cue'] };
  if (cancelled.test(clause)) return { discard: 'cancelled', signals: ['cancelled'] };
  const after = sentence.slice(at + mention.text.length, at + mention.text.length + 32);
  if (unavailableAfter.test(after) || unavailableBefore.test(before))
    return { discard: 'superseded', signals: ['unavailable'] };
  if (moveVerb.test(sentence) && context.siblings.length > 1) {
    const later = context.siblings.filter((s) => s.at > at);
    const earlier = context.siblings.filter((s) => s.end <= at);
    // "moved from Tuesday to Thursday", "von Dienstag auf Donnerstag": the first is replaced.
    if (later.length > 0 && (fromWords.test(before.slice(-10)) || !toWords.test(before.slice(-10)))) {
      const laterHasTo = later.some((s) => toWords.test(sentence.slice(Math.max(0, s.at - 12), s.at)));
      if (laterHasTo || fromWords.test(before.slice(-10))) return { discard: 'superseded', signals: ['moved-from'] };
    }
    if (earlier.length > 0) signals.push('moved-to');
  }
  // "our call on Thursday has to be moved": the one day of the sentence is the one being replaced.
  if (
    (moveVerb.test(sentence) || cancelled.test(sentence)) &&
    context.siblings.length === 1 &&
    !toWords.test(before.slice(-10))
  )
    return { discard: 'superseded', signals: ['moved-away'] };
  if ((pastContext.test(clauseBefore) || pastContext.test(clause)) && !futureContext.test(clause)) {
    return { discard: 'past', signals: ['past-context'] };
  }

  const near = sentence;
  let role: DateRole = 'date';
  if (dueCue.test(near)) role = 'due';
  else if (deadlineCue.test(before.slice(-24))) role = 'deadline';
  else if (meetingCue.test(near)) role = 'meeting';
  else if (eventCue.test(near)) role = 'event';
  else if (deadlineCue.test(near)) role = 'deadline';
  signals.push(`role-${role}`);
  if (mention.disagrees) signals.push('weekday-disagrees');
  return { role, signals };
}
