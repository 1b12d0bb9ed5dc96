// What a meeting leaves to do: action items with their owner, due date and amounts, each pointing
// at the turn and the words it was read from. The sentence readers are extraction/'s (the same
// cues, dates and amounts as for email); what changes is the point of view. In an email the
// sender speaks to the operator; in a meeting anyone may speak to anyone, so:
//   - a request by someone else is the operator's (`me`) when it names the operator, when the
//     operator speaks next, or when only two people are in the meeting; else it is `other`;
//   - a promise by the operator ("I'll send the quote by Friday") is `me`; a promise by anyone
//     else is `sender` (the speaker, named in `who`); "Marco will book…" is `other`;
//   - a request by the operator is asked of someone else: `other`;
//   - the operator's promise right after a request to them is the answer to it: one item, the
//     promise's due date winning (it is what was agreed).
// Due dates are resolved against the meeting's date.
import { currencyContext } from '../extraction/amounts/currencies.ts';
import { distinctAmounts, findAmounts, type AmountRole } from '../extraction/amounts/find-amounts.ts';
import { classifySentence, type ActionOwner } from '../extraction/actions/find-actions.ts';
import { iso, parseIsoDay } from '../extraction/dates/calendar.ts';
import { findDateMentions } from '../extraction/dates/find-dates.ts';
import { languageOf, monthFirst, type Language } from '../extraction/text/locale.ts';
import { sentencesIn, type Sentence } from '../extraction/text/sentences.ts';
import type { Transcript, TranscriptTurn } from '../schemas/transcript.ts';
import { turnAt } from './cite.ts';

export const MEETING_EXTRACTOR_VERSION = 'trellis-meeting-extract@1';

export interface Span {
  start: number;
  end: number;
}

export interface TurnEvidence {
  turnId: string;
  speaker?: string;
  startMs?: number;
  /** Offsets into the transcript's `text`. */
  span: Span;
}

export interface MeetingAmount {
  value: string;
  currency: string;
  role: AmountRole;
  text: string;
  evidence: TurnEvidence;
}

export interface MeetingAction {
  /** The sentence (or sentences) that ask or promise it. */
  text: string;
  owner: ActionOwner;
  kind: 'request' | 'commitment';
  /** Who owns it, when the transcript says: the promising speaker, or the operator. */
  who?: string;
  due?: { date: string; time?: string; text: string; span: Span };
  amounts: MeetingAmount[];
  evidence: TurnEvidence;
  /** The operator's answer that accepted a request ("Sure, I'll share them on Friday"). */
  acceptedIn?: TurnEvidence;
  /** The date the request asked for, when the accepted answer named another (that one is `due`). */
  requestedDue?: { date: string; time?: string; text: string; span: Span };
  signals: string[];
}

export interface MeetingExtraction {
  version: string;
  language: Language;
  actions: MeetingAction[];
  amounts: MeetingAmount[];
}

export interface MeetingExtractOptions {
  /** The operator's name as speakers are labelled ("Dana Whitfield"; "Dana" matches too). */
  operator: string;
  /** When the meeting took place (ISO); relative dates ("by Friday") count from it. */
  meetingAt: string;
  /** The meeting's UTC offset in minutes, when known (default 0). */
  offsetMinutes?: number;
}

/** Running the meeting, not work: "Can you hear me?", "Let's get started", "Can I jump in?". */
const meetingMechanics =
  /^(?:(?:sorry|ok(?:ay)?|so|right)[,\s]+)?(?:can (?:you|everyone) (?:hear|see) (?:me|my screen)|can i (?:jump in|interrupt|add something)|let'?s (?:start|begin|get started|kick off|move on|wrap up|dive in)|shall we (?:start|begin|get started|walk through|go through|move on)|who (?:just )?joined|(?:are|is) (?:you|everyone) (?:there|ready|on)|können sie mich hören|vous m'entendez)/iu;

/** Words that say what a request or promise is about (3+ letters or digits, not function words). */
const stopWords = new Set(
  'the and for you your our can could would will shall please send over also with this that them those these from have has need needs want like just yes sure great okay then what when will'.split(
    ' ',
  ),
);
function topicWords(text: string): Set<string> {
  return new Set(
    (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}-]{2,}/gu) ?? []).filter((word) => !stopWords.has(word)),
  );
}

const normal = (name: string) => name.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function operatorMatcher(operator: string) {
  const full = normal(operator);
  const first = full.split(' ')[0] ?? full;
  const named = new RegExp(`(?<![\\p{L}])${escape(first)}(?![\\p{L}])`, 'iu');
  return {
    is: (speaker: string | undefined) =>
      speaker !== undefined &&
      (normal(speaker) === full || normal(speaker) === first || full.startsWith(`${normal(speaker)} `)),
    namedIn: (text: string) => named.test(text),
  };
}

/** Speaker labels like "Dana, could you…" that address someone by name at the start. */
function addresseeOf(text: string, participants: string[]): string | undefined {
  const lead = /^(?:(?:so|ok|okay|and|also|oh)[,\s]+)?([\p{Lu}][\p{L}'’-]+)\s*,/u.exec(text.trim())?.[1];
  if (!lead) return undefined;
  return participants.find((name) => normal(name).split(' ')[0] === normal(lead));
}

function evidenceOf(turn: TranscriptTurn, span: Span): TurnEvidence {
  return {
    turnId: turn.id,
    ...(turn.speaker === undefined ? {} : { speaker: turn.speaker }),
    ...(turn.startMs === undefined ? {} : { startMs: turn.startMs }),
    span,
  };
}

export function extractMeeting(transcript: Transcript, options: MeetingExtractOptions): MeetingExtraction {
  const { text } = transcript;
  const operator = operatorMatcher(options.operator);
  const spoken = transcript.turns.map((turn) => turn.text).join('\n');
  const language = languageOf(spoken);
  const offsetMinutes = options.offsetMinutes ?? 0;
  const local = new Date(Date.parse(options.meetingAt) + offsetMinutes * 60_000).toISOString();
  const ref = { day: parseIsoDay(local), instant: new Date(options.meetingAt), offsetMinutes };
  const order = monthFirst(language, spoken, undefined, offsetMinutes);
  const inTurn = (index: number) => transcript.turns.some((t) => index >= t.span.start && index < t.span.end);

  const amounts: MeetingAmount[] = distinctAmounts(
    findAmounts(text, { inContent: inTurn, context: currencyContext(spoken, undefined) }),
  ).flatMap((amount) => {
    const turn = turnAt(transcript, amount.start);
    if (!turn) return [];
    return [
      {
        value: amount.value,
        currency: amount.currency,
        role: amount.role,
        text: amount.text,
        evidence: evidenceOf(turn, { start: amount.start, end: amount.end }),
      },
    ];
  });

  const dueIn = (sentence: Sentence): MeetingAction['due'] => {
    const mentions = findDateMentions(sentence.text, language, ref, order).filter((m) => !m.probablyPast);
    const first = mentions.sort((a, b) => a.start - b.start)[0];
    if (!first) return undefined;
    return {
      date: iso(first.day),
      ...(first.time ? { time: first.time } : {}),
      text: first.text,
      span: { start: sentence.start + first.start, end: sentence.start + first.end },
    };
  };

  const actions: MeetingAction[] = [];
  const twoPeople = transcript.participants.length <= 2;
  for (const [index, turn] of transcript.turns.entries()) {
    const byOperator = operator.is(turn.speaker);
    const next = transcript.turns[index + 1];
    for (const sentence of sentencesIn(text, turn.span.start, turn.span.end)) {
      const candidate = classifySentence({ ...sentence, kind: 'new', listItem: false, listIntro: false, language });
      if (!candidate) continue;
      const said = sentence.text.trim();
      if (meetingMechanics.test(said)) continue;
      // A plain question to the operator answered in the next turn ("Is it still 95 an hour?" "Yes…") is settled.
      const questionOnly = candidate.signals.every((s) => s === 'question' || s === 'question-to-you');
      if (candidate.owner === 'me' && questionOnly && !byOperator && operator.is(next?.speaker)) continue;
      const signals = [...candidate.signals];
      let owner: ActionOwner;
      let kind: MeetingAction['kind'];
      let who: string | undefined;
      if (candidate.owner === 'sender') {
        kind = 'commitment';
        if (byOperator) [owner, who] = ['me', turn.speaker];
        else {
          owner = turn.speaker === undefined ? 'other' : 'sender';
          who = turn.speaker;
        }
      } else if (candidate.owner === 'other') {
        [owner, kind] = ['other', 'commitment'];
      } else {
        kind = 'request';
        if (byOperator) {
          owner = 'other';
          who = addresseeOf(said, transcript.participants);
          signals.push('asked-by-operator');
        } else {
          const addressee = addresseeOf(said, transcript.participants);
          const toOperator =
            (addressee !== undefined && operator.is(addressee)) ||
            (addressee === undefined &&
              (operator.namedIn(said) || operator.is(next?.speaker) || (twoPeople && turn.speaker !== undefined)));
          owner = toOperator ? 'me' : 'other';
          who = toOperator ? options.operator : addressee;
          if (!toOperator) signals.push(addressee ? 'asked-of-someone-else' : 'addressee-unclear');
        }
      }
      const span = { start: sentence.start, end: sentence.end };
      const due = dueIn(sentence);
      actions.push({
        text: said,
        owner,
        kind,
        ...(who === undefined ? {} : { who }),
        ...(due ? { due } : {}),
        amounts: amounts.filter((a) => a.evidence.span.start >= span.start && a.evidence.span.end <= span.end),
        evidence: evidenceOf(turn, span),
        signals,
      });
    }
  }
  return { version: MEETING_EXTRACTOR_VERSION, language, actions: mergeAcceptances(transcript, actions), amounts };
}

/**
 * The operator's promise answers a request to them: in the very next turn, or within the next
 * three turns when it is about the same thing (a shared word: "W-9", "sitemap"). That also
 * settles whom a request with an unclear addressee was for. One item remains: the request, with
 * the promise's due date (what was agreed) and the asked-for date kept as `requestedDue`.
 */
function mergeAcceptances(transcript: Transcript, actions: MeetingAction[]): MeetingAction[] {
  const order = new Map(transcript.turns.map((turn, index) => [turn.id, index]));
  const dropped = new Set<MeetingAction>();
  for (const request of actions) {
    if (request.kind !== 'request') continue;
    const unclear = request.owner === 'other' && request.signals.includes('addressee-unclear');
    if (request.owner !== 'me' && !unclear) continue;
    const at = order.get(request.evidence.turnId)!;
    const topic = topicWords(request.text);
    const answer = actions.find((a) => {
      if (dropped.has(a) || a.owner !== 'me' || a.kind !== 'commitment') return false;
      const distance = order.get(a.evidence.turnId)! - at;
      const sameTopic = [...topicWords(a.text)].some((word) => topic.has(word));
      return (distance === 1 && !unclear) || (distance >= 1 && distance <= 3 && sameTopic);
    });
    if (!answer) continue;
    dropped.add(answer);
    if (unclear) {
      request.owner = 'me';
      if (answer.who !== undefined) request.who = answer.who;
      request.signals.splice(request.signals.indexOf('addressee-unclear'), 1);
    }
    request.acceptedIn = answer.evidence;
    request.signals.push('accepted');
    if (answer.due) {
      if (request.due && request.due.date !== answer.due.date) request.requestedDue = request.due;
      request.due = answer.due;
    }
    for (const amount of answer.amounts) if (!request.amounts.includes(amount)) request.amounts.push(amount);
  }
  return actions.filter((action) => !dropped.has(action));
}
