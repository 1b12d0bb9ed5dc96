// An action should read on its own. "Can you check and resend it?" says little without the
// sentence before it that names what "it" is; "Or Tuesday, same time." and "10am works best for
// me" add slots to the request before them. Such neighbours join the action's text.
import type { ActionCandidate, SentenceInContext } from './find-actions.ts';

/** A word that points back at something the previous sentence named. */
const pointsBack =
  /(?<![\p{L}])(?:it|them|both|these|those|(?:this|that)(?=\s*(?:[?.!,;]|$|\s(?:for|to|by|on|in|before|and|or)\b))|beide[ns]?|diese[ns]?|les deux|celle-ci|celui-ci|ceux-ci|ambas|ambos|esto|eso|deze)(?![\p{L}])/iu;

/** A sentence that offers another slot or a preference for the request before it. */
const addsSlot =
  /^(?:or|oder|ou|o|of|otherwise|alternatively|sonst|ansonsten|anders|sinon|si no)(?![\p{L}])|(?<![\p{L}])(?:works best|work best|would be ideal|suits me best|best for me|passt mir am besten|wäre ideal|me convient|me conviene|me viene bien|sería ideal|komt (?:mij|me) het best uit|zou ideaal zijn)(?![\p{L}])/iu;

const MAX_LENGTH = 400;

export function withContext(
  sentences: SentenceInContext[],
  classified: (ActionCandidate | undefined)[],
): (ActionCandidate | undefined)[] {
  return classified.map((candidate, i) => {
    if (candidate?.owner !== 'me' || candidate.signals.includes('list-item')) return candidate;
    let first = sentences[i]!;
    let last = sentences[i]!;
    const before = sentences[i - 1];
    if (
      before &&
      classified[i - 1] === undefined &&
      sameParagraph(before, first) &&
      before.text.trim().length >= 20 &&
      !/,\s*$/.test(before.text) &&
      pointsBack.test(first.text)
    )
      first = before;
    const after = sentences[i + 1];
    if (after && classified[i + 1] === undefined && sameParagraph(last, after) && addsSlot.test(after.text.trim()))
      last = after;
    if (first === sentences[i] && last === sentences[i]) return candidate;
    const parts = [first, sentences[i]!, last].filter((s, k, all) => all.indexOf(s) === k);
    const text = parts.map((s) => s.text.trim()).join(' ');
    if (text.length > MAX_LENGTH) return candidate;
    return {
      ...candidate,
      sentence: { ...sentences[i]!, text, start: first.start, end: last.end },
      signals: [...candidate.signals, 'context'],
    };
  });
}

function sameParagraph(a: SentenceInContext, b: SentenceInContext): boolean {
  return a.kind === b.kind && a.paragraph !== undefined && a.paragraph === b.paragraph;
}
