// What the operator is asked to do, sentence by sentence: requests and questions addressed to
// them are actions (owner "me"); what the sender promises is a commitment (owner "sender");
// what a third party will do is "other"; boilerplate, conditions and form fields are neither.
// The phrase lists are in cues.ts; this file decides.
import type { Sentence } from '../text/sentences.ts';
import {
  askToAnswer,
  boilerplate,
  commitment,
  conditional,
  correction,
  imperativeStart,
  changeList,
  listIntroduction,
  needFromYou,
  needWithDeadline,
  politeCondition,
  proposal,
  questionWord,
  request,
  restatedNeed,
  additive,
  asksOutright,
  secondPerson,
  smallTalk,
  softAsk,
  startsWithInstruction,
  thirdParty,
  timeOrChoiceQuestion,
} from './cues.ts';
import { withContext } from './context.ts';

export type ActionOwner = 'me' | 'sender' | 'other';

export interface ActionCandidate {
  sentence: Sentence;
  owner: ActionOwner;
  signals: string[];
}

export interface SentenceInContext extends Sentence {
  /** new or forwarded text */
  kind: 'new' | 'forwarded';
  /** The line before this sentence's line ends with ":" and introduces a list of requests. */
  listItem: boolean;
  /** This sentence ends with ":" and introduces such a list (the items are the actions). */
  listIntro: boolean;
  /** The list's introduction names changes, so every item is one change to make. */
  changeList?: boolean;
  /** Under an introduction that says what the sender needs from the operator ("I need two things from you:"). */
  askedList?: boolean;
  /** A form's label worded as a question ("What's your name?") with its answer below or after ":". */
  formLabel?: boolean;
  /** Which paragraph (run of lines between blank lines) the sentence starts in. */
  paragraph?: number;
  /** Where the introduction of the list this sentence starts an item of begins. */
  listKey?: number;
  /** A later sentence on a list item's line: it belongs to that item. */
  itemContinuation?: boolean;
  language: string;
}

const formField = /^[\p{L}][\p{L} ()/-]{0,30}:\s*\S/u;

export function classifySentence(sentence: SentenceInContext): ActionCandidate | undefined {
  const text = sentence.text.replace(/\s+/g, ' ').trim();
  if (text.length < 8 || text.length > 400) return undefined;
  const isQuestion = /\?\s*$/.test(text) || /^¿/.test(text);
  if (sentence.listItem) {
    if (startsWithInstruction(text, sentence.language)) return { sentence, owner: 'me', signals: ['list-item'] };
    if (commitment.test(text)) return { sentence, owner: 'sender', signals: ['commitment'] };
    if (sentence.changeList) return { sentence, owner: 'me', signals: ['list-item', 'change-item'] };
    if (sentence.askedList) return { sentence, owner: 'me', signals: ['list-item', 'asked-item'] };
  }
  // "Budget: £4,000" is a field; "One small thing: could the button be green?" is a question.
  if (formField.test(text) && !request.test(text) && !isQuestion) return undefined;
  if (sentence.listIntro || sentence.formLabel) return undefined;
  // "Hola Martín, ¿cómo va?": a greeting, not a question to answer.
  if (isQuestion && smallTalk.test(text) && text.length <= 60) return undefined;
  if (boilerplate.test(text) && !/\b(?:by|bis|avant|antes|voor)\b/i.test(text)) return undefined;
  const asks =
    request.test(text) || needWithDeadline.test(text) || needFromYou.test(text) || politeCondition.test(text);
  const imperative = imperativeStart.test(text);
  if (commitment.test(text) && (!asks || promiseLeads(text)) && !isQuestion)
    return { sentence, owner: 'sender', signals: ['commitment'] };
  if (thirdParty(text) && !asks) return { sentence, owner: 'other', signals: ['third-party'] };
  // "If it hasn't arrived, let me know": a condition, not a task.
  if (conditional.test(text) && !isQuestion && !politeCondition.test(text)) return undefined;
  const signals: string[] = [];
  if (asks) signals.push('request');
  if (imperative) signals.push('imperative');
  if (signals.length === 0 && !isQuestion && correction.test(text)) signals.push('correction');
  if (isQuestion && secondPerson.test(text)) signals.push('question-to-you');
  else if (isQuestion && questionWord.test(text)) signals.push('question');
  return signals.length > 0 ? { sentence, owner: 'me', signals } : undefined;
}

/**
 * "I'll send over the barcode numbers by Thursday": the sentence's subject is the sender and its
 * verb a promise, so words like "send over" inside it ask nothing, unless it also asks outright
 * ("I'll send the files, could you check them?", "…, please sign").
 */
function promiseLeads(text: string): boolean {
  const lead = text.replace(/^(?:[-*•]\s*)?(?:(?:also|and|so|ok|okay|then|anyway|und|et|y|en)[,\s]+)?/iu, '');
  const match = commitment.exec(lead);
  return match !== null && match.index === 0 && !asksOutright.test(lead);
}

/**
 * Sentences of new and forwarded text that are actions or commitments. Requests inside a
 * forwarded message were made to someone else: they count only when the forwarder asks nothing.
 */
export function findActions(sentences: SentenceInContext[]): ActionCandidate[] {
  // A correction opening a paragraph of its own ("We moved in 1961, not 1962.") is a change to
  // make; after other sentences or beside a request it is the argument for that request.
  const first = sentences.map(classifySentence);
  const classified = first.map((candidate, i) => {
    if (!candidate?.signals.includes('correction')) return candidate;
    const paragraph = sentences[i]!.paragraph;
    const argues = first.some((other, j) => j !== i && other?.owner === 'me' && sentences[j]!.paragraph === paragraph);
    const midParagraph = sentences[i - 1]?.paragraph === paragraph;
    return argues || midParagraph || paragraph === undefined ? undefined : candidate;
  });
  let found = withContext(sentences, promoteListsOfAsks(sentences, classified)).filter(
    (c): c is ActionCandidate => c !== undefined,
  );
  // A correction is a request only beside explicit ones: alone, it may just set a fact straight.
  if (!found.some((c) => c.owner === 'me' && !c.signals.includes('correction')))
    found = found.filter((c) => !c.signals.includes('correction'));
  const asksInNewText = found.some((c) => c.owner === 'me' && (c.sentence as SentenceInContext).kind === 'new');
  // A forwarded list of changes stays: "can you make these changes?" points at it.
  const kept = found.filter(
    (c) =>
      !(
        asksInNewText &&
        c.owner === 'me' &&
        (c.sentence as SentenceInContext).kind === 'forwarded' &&
        !c.signals.includes('list-item')
      ),
  );
  return mergeRestatements(kept);
}

/**
 * A list whose items mostly ask ("a couple of things from our side:" then "Could you send…",
 * "Please bring…") is a list of asks: its other items ("We'd like the filming on the 23rd") are
 * asks too, unless they are someone's promise.
 */
function promoteListsOfAsks(
  sentences: SentenceInContext[],
  classified: (ActionCandidate | undefined)[],
): (ActionCandidate | undefined)[] {
  const lists = new Map<number, number[]>();
  sentences.forEach((s, i) => {
    if (s.listKey !== undefined) lists.set(s.listKey, [...(lists.get(s.listKey) ?? []), i]);
  });
  const out = [...classified];
  for (const items of lists.values()) {
    if (items.length < 2) continue;
    const asks = items.filter((i) => classified[i]?.owner === 'me').length;
    if (asks * 2 < items.length) continue;
    for (const i of items) {
      const sentence = sentences[i]!;
      if (classified[i] !== undefined || sentence.text.length < 8 || formField.test(sentence.text)) continue;
      out[i] = { sentence, owner: 'me', signals: ['list-item', 'list-of-asks'] };
    }
  }
  return out;
}

const contentWords = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^\p{L}\d]+/u)
      .filter((w) => w.length >= 6 || /\d/.test(w)),
  );

/**
 * One request said twice is one action: "Could you send a credit note? I'd need the credit note
 * by the 19th" (a shared word), "We need them by the 1st" (a deadline for the one before), and
 * "Can we do Tuesday at 10? Let me know" (a proposal and the ask to answer it).
 */
function mergeRestatements(candidates: ActionCandidate[]): ActionCandidate[] {
  const out: ActionCandidate[] = [];
  for (const candidate of candidates) {
    const previous = [...out].reverse().find((c) => c.owner === 'me');
    const last = out.at(-1);
    // "- The form still goes to my old address. Can you point it to bookings@…?" is one item.
    const continuesItem =
      candidate.owner === 'me' &&
      (candidate.sentence as Partial<SentenceInContext>).itemContinuation === true &&
      last?.owner === 'me' &&
      last.signals.includes('list-item');
    if (continuesItem) {
      out[out.length - 1] = joined(last, candidate);
      continue;
    }
    const startsAnew = additive.test(candidate.sentence.text.replace(/^[\s,]+/u, ''));
    if (candidate.owner === 'me' && previous && !startsAnew && !candidate.signals.includes('list-item')) {
      const adjacent = last === previous;
      const a = contentWords(previous.sentence.text);
      const shared = [...contentWords(candidate.sentence.text)].some((w) => a.has(w));
      const text = candidate.sentence.text.trim();
      const earlier = previous.sentence.text.trim();
      // "Can you manage 2pm? Please confirm by 10am": the ask to answer is the question's own,
      // even with the sender's own remark between them.
      const answersQuestion =
        /\?\s*$/.test(earlier) && timeOrChoiceQuestion.test(earlier) && text.length <= 140 && askToAnswer.test(text);
      const restates =
        restatedNeed.test(text) ||
        (proposal.test(earlier) && askToAnswer.test(text)) ||
        // "I'd like to understand how… Could you send a short plan?": the wish, then the ask.
        softAsk.test(earlier);
      if (answersQuestion || (adjacent && (shared || restates))) {
        // The later sentence (often the explicit ask) carries on in the earlier one's place.
        out[out.lastIndexOf(previous)] = joined(previous, candidate);
        continue;
      }
    }
    out.push(candidate);
  }
  return out;
}

/** A short label line, its answer on the next line, then a blank line: the shape of a form. */
const labelAndAnswer = /(?:^|\n[ \t]*\n)[ \t]*[^\n]{2,60}\n[ \t]*\S[^\n]*(?=\n[ \t]*\n|\n?$)/gu;

const itemMarker = /^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+\S/u;

/** The line that introduces the list a line belongs to, walking back over its other items. */
function introOfList(text: string, lineStart: number): { text: string; start: number } {
  let cursor = lineStart - 1;
  while (cursor > 0) {
    const previousStart = text.lastIndexOf('\n', cursor - 1) + 1;
    const previous = text.slice(previousStart, cursor).trim();
    cursor = previousStart - 1;
    if (!previous || itemMarker.test(previous)) continue;
    return { text: previous, start: previousStart };
  }
  return { text: '', start: 0 };
}

function joined(first: ActionCandidate, second: ActionCandidate): ActionCandidate {
  return {
    sentence: {
      ...(first.sentence as SentenceInContext),
      text: `${first.sentence.text} ${second.sentence.text}`,
      start: first.sentence.start,
      end: second.sentence.end,
    },
    owner: 'me',
    signals: [...new Set([...first.signals, ...second.signals, 'merged'])],
  };
}

/** Marks sentences that are items of a list introduced by a request ("the following changes:"). */
export function markListItems(
  text: string,
  sentences: (Sentence & { kind: 'new' | 'forwarded' })[],
  language: string,
): SentenceInContext[] {
  const formLike = (text.match(labelAndAnswer) ?? []).length >= 3;
  const blankLines = [...text.matchAll(/\n[ \t]*\n/g)].map((m) => m.index);
  return sentences.map((sentence) => {
    const lineStart = text.lastIndexOf('\n', sentence.start - 1) + 1;
    const lineEnd = text.indexOf('\n', sentence.start);
    const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const onItemLine = itemMarker.test(line);
    const list = onItemLine ? introOfList(text, lineStart) : undefined;
    const intro = list?.text ?? '';
    // "the following changes:" or, written without its colon, "Voici nos retours".
    const askedFor = needFromYou.test(intro);
    const introduced = !/[.?!]\s*$/.test(intro) && (listIntroduction.test(intro) || changeList.test(intro) || askedFor);
    const atItemStart = sentence.start - lineStart <= 8;
    // A line ending with ":" whose next line is a list item introduces the list.
    const after = text.slice(sentence.end, sentence.end + 200);
    const listIntro = /:\s*$/.test(sentence.text) && /^\s*\n\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+/u.test(after);
    // A question that is a whole line with its answer on the next line, in a form, or one
    // followed by ":" and the answer ("How can we help?: We need…").
    const wholeLine = line.trim() === sentence.text.trim();
    const formLabel =
      /\?\s*$/.test(sentence.text) &&
      (/^\s*:/.test(after) ||
        (formLike && wholeLine && sentence.text.length <= 60 && /^[ \t]*\n[ \t]*\S/u.test(after)));
    return {
      ...sentence,
      ...(formLabel ? { formLabel: true } : {}),
      ...(list && atItemStart ? { listKey: list.start } : {}),
      paragraph: blankLines.filter((index) => index < sentence.start).length,
      listItem: introduced && atItemStart,
      ...(introduced && changeList.test(intro) ? { changeList: true } : {}),
      ...(introduced && askedFor ? { askedList: true } : {}),
      ...(introduced && !atItemStart ? { itemContinuation: true } : {}),
      listIntro,
      language,
    };
  });
}
