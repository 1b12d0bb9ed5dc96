// The sender's own signature: the lines after a sign-off the message structure found, and, when
// the message closes without a stock sign-off ("Appreciate it!", "Baie dankie,", "Joyeuses
// Fêtes!"), the block that starts at the line giving the sender's own name near the end of what
// they wrote. A forwarded message's signature is someone else's and is never read here.
import { signOffLine } from '../message/cues.ts';
import type { MessageStructure } from '../message/structure.ts';
import { orgKey } from './organisations.ts';

export interface SignatureLine {
  line: string;
  start: number;
}

/** How far from the end of the sender's text a name line may start a signature. */
const nameLineWindow = 12;
/** How many lines a signature block holds at most (name, title, organisation, address, contact). */
const blockLines = 9;

const honorific = /^(?:dr|dra|prof|ing|lic|mag|mr|mrs|ms|mx|herr|frau|mme|sr|sra|dhr|mevr)\.?\s+/iu;

/** Keys that the line giving the sender's name would have: "Dr. Ezequiel Ferreyra" → "ezequielferreyra". */
function nameKeys(senderName: string | undefined, senderAddress: string | undefined): string[] {
  const keys: string[] = [];
  const name = senderName?.replace(/["']/g, '').trim();
  if (name && !name.includes('@')) {
    keys.push(orgKey(name.replace(honorific, '')));
    // "Lindner, Katrin" as Outlook writes it.
    const [last, first] = name.split(/\s*,\s*/);
    if (first && last) keys.push(orgKey(`${first} ${last}`));
  }
  // No display name: "k.lindner@…" still says who signs ("Katrin Lindner").
  const local = senderAddress?.split('@')[0]?.toLowerCase() ?? '';
  const parts = local.split(/[._-]+/).filter((part) => part.length >= 3 && /^\p{L}+$/u.test(part));
  if (parts.length >= 2) keys.push(parts.join(''));
  return keys.filter((key) => key.length >= 4);
}

function isNameLine(line: string, keys: string[]): boolean {
  const head = line
    .trim()
    .replace(honorific, '')
    .split(/\s+[|•·–—-]\s+|\s*,\s*/)[0]!;
  if (!head || head.split(/\s+/).length > 5) return false;
  const key = orgKey(head);
  return keys.some((name) => key === name || (key.length >= 4 && name.length >= 6 && key === name.slice(-key.length)));
}

function linesOf(structure: MessageStructure, start: number, end: number): SignatureLine[] {
  const out: SignatureLine[] = [];
  let at = start;
  for (const line of structure.text.slice(start, end).split('\n')) {
    out.push({ line, start: at });
    at += line.length + 1;
  }
  return out;
}

/** A block from the sender's name line near the end of a run of new text, if there is one. */
function blockFromNameLine(lines: SignatureLine[], keys: string[]): SignatureLine[] {
  const filled = lines.map((l, i) => ({ ...l, i })).filter((l) => l.line.trim());
  for (const [index, candidate] of filled.entries()) {
    // A name line that opens the text is a letterhead or a greeting, not a signature.
    if (index === 0 || index < filled.length - nameLineWindow || !isNameLine(candidate.line, keys)) continue;
    const block: SignatureLine[] = [];
    for (const l of lines.slice(candidate.i)) {
      // A long line is prose again (a postscript), not a signature.
      if (l.line.trim().length > 90) break;
      block.push(l);
      if (block.filter((b) => b.line.trim()).length >= blockLines) break;
    }
    return block;
  }
  return [];
}

/** The sender's signature lines, sign-off lines left out. */
export function signatureLines(
  structure: MessageStructure,
  senderName: string | undefined,
  senderAddress: string | undefined,
): SignatureLine[] {
  const out: SignatureLine[] = [];
  const { segments } = structure;
  segments.forEach((segment, index) => {
    if (segment.kind !== 'signature') return;
    if (segments.slice(0, index).some((s) => s.kind === 'forwarded')) return;
    out.push(
      ...linesOf(structure, segment.start, segment.end)
        .filter((l) => !signOffLine(l.line))
        .slice(0, blockLines),
    );
  });
  const keys = nameKeys(senderName, senderAddress);
  if (keys.length === 0) return out;
  // New text that closes without a stock sign-off: its signature is still in it.
  for (const segment of segments) {
    if (segment.kind !== 'new') continue;
    for (const line of blockFromNameLine(linesOf(structure, segment.start, segment.end), keys))
      if (!out.some((l) => l.start === line.start)) out.push(line);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The sender's own earlier signature in the quoted history of a reply ("> Jane Doe\n> Oakridge
 * Dental Practice"): what a short "Sounds good!" from free mail still says about who writes.
 * Lines keep their offsets in the text, the quote markers left out.
 */
export function quotedSignatureLines(
  structure: MessageStructure,
  senderName: string | undefined,
  senderAddress: string | undefined,
): SignatureLine[] {
  const keys = nameKeys(senderName, senderAddress);
  if (keys.length === 0) return [];
  for (const segment of structure.segments) {
    if (segment.kind !== 'quoted') continue;
    const lines = linesOf(structure, segment.start, segment.end).map(({ line, start }) => {
      const marker = /^\s*(?:>\s?)*/.exec(line)![0].length;
      return { line: line.slice(marker), start: start + marker };
    });
    for (let i = 0; i < lines.length - 1; i++) {
      if (!isNameLine(lines[i]!.line, keys)) continue;
      const block: SignatureLine[] = [];
      for (const l of lines.slice(i, i + blockLines)) {
        if (!l.line.trim() || l.line.trim().length > 90) break;
        block.push(l);
      }
      if (block.length > 1) return block;
    }
  }
  return [];
}
