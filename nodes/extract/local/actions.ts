// Action items: what the message asks the recipient to do, or what someone in it commits to.
// Each rule is a cue a reader would point at; the cue also sets owner and confidence.
import type { FoundDate } from './dates.ts';
import type { Sentence } from './nlp.ts';

export interface FoundAction {
  text: string;
  /** "me" is the recipient (the operator); otherwise who committed to it. */
  owner: string;
  due?: string;
  confidence: number;
  /** Which cue found it, for notes and tests. */
  cue: string;
}

interface Rule {
  cue: string;
  pattern: RegExp;
  owner: 'me' | 'sender' | 'named';
  confidence: number;
}

const rules: Rule[] = [
  { cue: 'request', pattern: /\b(could|can|would|will) (you|we)\b(?! be interested)/i, owner: 'me', confidence: 0.8 },
  {
    cue: 'please',
    pattern: /\b(please|pls|kindly|bitte)\b(?! (find|see) (attached|below)| note| feel free| don't hesitate)/i,
    owner: 'me',
    confidence: 0.8,
  },
  {
    cue: 'let-me-know',
    pattern: /\b(let (me|us) know|get back to (me|us)|send (me|us))\b/i,
    owner: 'me',
    confidence: 0.75,
  },
  {
    cue: 'grateful',
    pattern: /\b(i|we)('d| would) (also )?(be grateful|appreciate it) if you\b/i,
    owner: 'me',
    confidence: 0.75,
  },
  {
    cue: 'would-like',
    pattern: /\b(i|we)('d| would) like (you )?to\b|\bwe (now )?want\b|\bwe('d| would) like (a|an|the)\b/i,
    owner: 'me',
    confidence: 0.65,
  },
  {
    cue: 'need',
    pattern:
      /^(also,? )?(we|i)?\s*(will |'ll |'d )?need(ed)?\b(?! to\b)(?!\s+(by|before|until)\b)|\b(needs?|has|have) to (be|use|show|read|include|go)\b/i,
    owner: 'me',
    confidence: 0.6,
  },
  {
    cue: 'should',
    pattern: /^(the |our |all |section |\w+ )?[\w\s"'-]{0,40}\bshould (read|lead|say|be|show|use|include|have|go)\b/i,
    owner: 'me',
    confidence: 0.55,
  },
  {
    cue: 'wants-to-see',
    pattern: /\b\p{Lu}\p{L}+ (wants|would like|needs) to (see|have|get|know)\b/u,
    owner: 'me',
    confidence: 0.6,
  },
  {
    cue: 'question',
    pattern:
      /^(what|when|which|how much|how about|do you|are you|is it (ok|okay|possible|still possible)|would .* work|does .* work)\b.*\?$/i,
    owner: 'me',
    confidence: 0.55,
  },
  {
    cue: 'commitment',
    pattern: /(^|, )(also,? |and )?(i|we)('ll| will| shall|'m going to| am going to| want to)\b/i,
    owner: 'sender',
    confidence: 0.65,
  },
  { cue: 'third-party', pattern: /^(\p{Lu}\p{Ll}+) (will|'ll|is going to) \p{Ll}/u, owner: 'named', confidence: 0.6 },
];

/** Lines that look like requests but are boilerplate: link captions, footers, pleasantries. */
const boilerplate =
  /\b(reply to this email|visit our|click here|unsubscribe|if you have any (other )?questions|looking forward|don't hesitate|feel free|hope (this|you)|thank(s| you) (for|again))\b|:\s*https?:\/\//i;

/** A date is a deadline when these come just before it (or "latest" after it); "on"/"to" mark an event. */
const deadlineBefore =
  /\b(by|before|until|till|no later than|latest|due|deadline|ahead of|in time for)\s+(the\s+)?(end of\s+)?$/i;
const eventBefore = /\b(on|at|for|to|from|between|after|during|am)\s+(the\s+)?$/i;
const deadlineAfter = /^\s*(at the latest|latest|sharp)\b/i;
/** A sentence that only carries a deadline for the one before: "needed before April 15." */
const deadlineOnly =
  /^(needed|due|required)\s+(by|before|until|no later than)\b|^(this|it|that|they) (is|are) (needed|due)\b|\b(closes|deadline is|(received|submitted|paid) by)\b/i;

const leadIns =
  /^(also|and|so|but|ps|p\.s\.|then|oh|one small thing|in addition)[,:—–-]*\s+|^(if so,? )?(could|can|would|will) (you|we) (please |also |kindly )?|^(please|pls|kindly|bitte)[,]?\s+|^(i|we) would (also )?be grateful if you could\s+|^just\s+/i;

function cleanText(text: string): string {
  let cleaned = text.trim();
  for (let pass = 0; pass < 3; pass++) cleaned = cleaned.replace(leadIns, '');
  cleaned = cleaned.replace(/[\s,]*(please|thanks|thank you|if possible|no rush)?[?.!\s]*$/i, '');
  return cleaned;
}

/** The day a sentence sets as the item's deadline, if any. */
function dueIn(sentence: string, dates: FoundDate[], request: boolean): FoundDate | undefined {
  for (const date of dates) {
    if (!sentence.includes(date.text)) continue;
    const before = sentence.slice(0, sentence.indexOf(date.text));
    const after = sentence.slice(sentence.indexOf(date.text) + date.text.length);
    if (
      deadlineBefore.test(before) ||
      deadlineAfter.test(after) ||
      /^(by|before|until|end of|eod|cob)\b/i.test(date.text)
    )
      return date;
    // "call me tomorrow": a bare relative day in a request is when it is wanted.
    if (
      request &&
      !eventBefore.test(before) &&
      /^(today|tonight|tomorrow|this (morning|afternoon|evening))$/i.test(date.text)
    )
      return date;
  }
  return undefined;
}

export interface ActionContext {
  senderName?: string;
}

/** One action per sentence at most, found by the strongest cue that applies. */
export function findActionItems(
  sentences: { sentence: Sentence; dates: FoundDate[] }[],
  context: ActionContext = {},
): FoundAction[] {
  const actions: FoundAction[] = [];
  let previous: FoundAction | undefined;
  // A deadline may follow its request by one sentence ("…we don't have one on file. needed before April 15.").
  let sincePrevious = 0;
  for (const { sentence, dates } of sentences) {
    const text = sentence.text.trim();
    // A line ending in ":" introduces a list; the items are the actions.
    if (previous && ++sincePrevious > 2) previous = undefined;
    if (text.endsWith(':') || boilerplate.test(text) || text.length < 6) {
      previous = undefined;
      continue;
    }
    // "needed before the next payment on April 15." dates the request before it.
    if (
      previous &&
      !previous.due &&
      dates.length > 0 &&
      deadlineOnly.test(text) &&
      !/\b(you|could|can|please)\b/i.test(text)
    ) {
      previous.due = (dueIn(text, dates, true) ?? dates[0]!).day;
      previous = undefined;
      continue;
    }
    // "That's roughly 12 pages; we'll provide…", "also — can you send…": the clause with the cue is the item.
    const clauses = text.split(/;\s+|\s+[—–]\s+/).map((clause) =>
      clause
        .replace(/^(also|and|so|but|ps)[,:]?\s+/i, '')
        .replace(/^if [^,]{1,60},\s*/i, '')
        .trim(),
    );
    let rule: Rule | undefined;
    let clause = text;
    for (const candidate of clauses) {
      rule = rules.find((r) => r.pattern.test(candidate));
      if (rule) {
        clause = candidate;
        break;
      }
    }
    const imperative = !rule && isImperative(sentence);
    if (!rule && !imperative) continue;
    const cue = rule?.cue ?? 'imperative';
    let owner = 'me';
    if (rule?.owner === 'sender') owner = context.senderName ?? 'sender';
    if (rule?.owner === 'named') owner = rule.pattern.exec(clause)?.[1] ?? 'me';
    const due = dueIn(clause, dates, owner === 'me');
    const action: FoundAction = {
      text: cleanText(clause.replace(/^.*?,\s*(?=(i|we)('ll| will| want to)\b)/i, '')),
      owner,
      ...(due ? { due: due.day } : {}),
      confidence: rule?.confidence ?? 0.6,
      cue,
    };
    actions.push(action);
    previous = action;
    sincePrevious = 0;
  }
  return actions;
}

/** Words that open a sentence like a verb but are pleasantries: "Thanks", "Hope…", "Love the footer!". */
const notCommands = new Set([
  'thanks',
  'thank',
  'hope',
  'love',
  'enjoy',
  'welcome',
  'congrats',
  'congratulations',
  'sorry',
  'see',
  'looking',
  'following',
  'have',
  'great',
  'good',
  'failure',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
]);

/** "Send me the files", "Let's get a kickoff on the calendar": a sentence that opens with a bare verb. */
function isImperative(sentence: Sentence): boolean {
  const words = sentence.tokens.filter((token) => token.pos !== 'PUNCT' && token.pos !== 'SYM');
  const first = words[0];
  if (!first) return false;
  if (/^let['’]s$|^let$/i.test(first.text) && /^(’|')?s$|^us$/i.test(words[1]?.text ?? 's')) return true;
  if (first.pos !== 'VERB' || notCommands.has(first.normal)) return false;
  // The base form only: "Send…" is a command, "Got your name…" and "Following up…" are not.
  return first.lemma === first.normal && !/ing$/i.test(first.text) && words.length >= 3;
}
