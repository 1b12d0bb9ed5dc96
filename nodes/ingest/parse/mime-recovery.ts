import { simpleParser } from 'mailparser';

// A multipart message whose parts do not follow its declared boundary (a wrong or missing
// boundary, a truncated closing line) parses as an empty message. The text is usually still
// there: split the body at anything that looks like a boundary line and read each piece that
// starts with part headers as a message of its own, so its transfer encoding and charset apply.

const boundaryLine = /^--[^\s]+\s*$/m;
const partHeader = /^[A-Za-z][\w-]*:/;

function bodyOf(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '');
}

/** Whether the top-level Content-Type is multipart. */
export function isMultipart(bytes: Buffer): boolean {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 64 * 1024));
  const end = head.search(/\r?\n\r?\n/);
  return /^content-type:[ \t]*multipart\//im.test(end < 0 ? head : head.slice(0, end));
}

/** The text of a multipart message's broken parts: a text/plain part first, else any part with text. */
export async function recoverBrokenParts(bytes: Buffer): Promise<string | undefined> {
  const pieces = bodyOf(bytes)
    .split(new RegExp(boundaryLine.source, 'gm'))
    .map((piece) => piece.replace(/^\r?\n/, ''))
    .filter((piece) => piece.trim());
  const found: { text: string; plain: boolean }[] = [];
  for (const piece of pieces) {
    if (!partHeader.test(piece)) {
      found.push({ text: piece.trim(), plain: true });
      continue;
    }
    const part = await simpleParser(Buffer.from(piece, 'latin1'), { skipImageLinks: true, skipTextLinks: true });
    const text = (part.text ?? '').trim();
    if (text) found.push({ text, plain: !part.html });
  }
  return (found.find((piece) => piece.plain) ?? found[0])?.text;
}
