/** Groups paragraphs into chunks of at most `maxChars` (a paragraph longer than that is cut at sentence ends). */
export function splitParagraphs(text: string, maxChars: number): string[] {
  const pieces = text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .flatMap((paragraph) => (paragraph.length <= maxChars ? [paragraph] : cutLong(paragraph, maxChars)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + 2 + piece.length > maxChars) {
      chunks.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function cutLong(paragraph: string, maxChars: number): string[] {
  const sentences = paragraph.match(/[^.!?]+[.!?]*\s*/g) ?? [paragraph];
  const out: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > maxChars) {
      out.push(current.trim());
      current = '';
    }
    current += sentence.length > maxChars ? sentence.slice(0, maxChars) : sentence;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
