// `Dana Whitfield: text` at the start of a line: the speaker prefix of SRT cues, WebVTT cues
// without voice tags, Zoom lines and pasted transcripts. A name is one to five words, each
// capitalised or a particle (van, de, von …); `Speaker 2` and `[Dana]` count too. Lower-case
// words ("note: …", "so: …") never do, nor anything that begins with a digit (a time).

const particle = '(?:van|von|de|der|den|da|di|du|le|la|del|della|dos|bin|al|ter|zu)';
const word = "[\\p{Lu}\\p{Lt}][\\p{L}\\p{M}'’.-]*";
const name = `${word}(?:[ \\t]+(?:${word}|${particle})){0,4}`;
const prefix = new RegExp(
  `^(?:>>\\s*|-[ \\t]+)?(?:(?<plain>${name}|Speaker[ \\t]+\\d+)|\\[(?<bracketed>[^\\]\\n]{1,60})\\])[ \\t]*:[ \\t]*(?<text>.*)$`,
  'u',
);

/** The speaker and the words of a `Name: words` line, or undefined when the line has no such prefix. */
export function splitSpeaker(line: string): { speaker: string; text: string } | undefined {
  const match = prefix.exec(line.trim());
  if (!match?.groups) return undefined;
  const speaker = (match.groups.plain ?? match.groups.bracketed ?? '').trim();
  if (!speaker) return undefined;
  return { speaker, text: match.groups.text ?? '' };
}
