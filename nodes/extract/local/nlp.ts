// wink-nlp with its English lite model: both ship in their npm packages (no download at run
// time). It gives sentence boundaries and part-of-speech tags; its lite model has no person or
// organisation recogniser, so names come from POS sequences plus header/signature heuristics.
import winkNLP, { type ItemSentence, type ItsFunction, type PartOfSpeech, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface Token {
  text: string;
  normal: string;
  lemma: string;
  pos: PartOfSpeech;
}

export interface Sentence {
  text: string;
  tokens: Token[];
}

let instance: WinkMethods | undefined;

/** Loaded once per process, on first use (about 100 ms). */
function nlp(): WinkMethods {
  instance ??= winkNLP(model);
  return instance;
}

/** A list item, a line in a slot list: each is its own sentence even without a full stop. */
const listItem = /^\s*(?:[-*•·]|\d{1,2}[.)]|[a-z][.)])\s+/;

// Dots inside "hoffmann.studio", "2.890,00" or "13.03. at 14:00" do not end a sentence.
const dotLeader = '\u2024';
const protectDots = (text: string) =>
  text.replace(/(?<=\w)\.(?=\w)/g, dotLeader).replace(/(?<=\b\d{1,2}\u2024\d{1,2})\.(?=\s+\p{Ll})/gu, dotLeader);
const restoreDots = (text: string) => text.replaceAll(dotLeader, '.');

/**
 * Sentences of an email body. Paragraph breaks and list items end a sentence; wrapped lines
 * inside a paragraph are joined first.
 */
export function sentencesOf(body: string): Sentence[] {
  const blocks: string[] = [];
  for (const paragraph of body.split(/\n\s*\n/)) {
    let current: string[] = [];
    for (const line of paragraph.split('\n')) {
      if (listItem.test(line) && current.length > 0) {
        blocks.push(current.join(' '));
        current = [];
      }
      current.push(line.trim());
    }
    if (current.length > 0) blocks.push(current.join(' '));
  }
  const { its } = nlp();
  const sentences: Sentence[] = [];
  for (const block of blocks) {
    const doc = nlp().readDoc(protectDots(block.replace(listItem, '')));
    doc.sentences().each((sentence: ItemSentence) => {
      const tokens = sentence.tokens();
      const texts = tokens.out().map(restoreDots);
      // wink's `its` helpers are plain functions read by `out`; they use no `this`.
      /* eslint-disable @typescript-eslint/unbound-method */
      const normals = tokens.out<string>(its.normal).map(restoreDots);
      const tags = tokens.out<PartOfSpeech>(its.pos);
      // The lemma helper takes the model's addons as a third argument, which `out` passes.
      const lemmas = tokens.out<string>(its.lemma as ItsFunction<string>);
      /* eslint-enable @typescript-eslint/unbound-method */
      const text = restoreDots(sentence.out()).trim();
      if (!text) return;
      sentences.push({
        text,
        tokens: texts.map((token, index) => ({
          text: token,
          normal: normals[index] ?? token,
          lemma: lemmas[index] ?? token,
          pos: (tags[index] ?? 'X') as PartOfSpeech,
        })),
      });
    });
  }
  return sentences;
}
