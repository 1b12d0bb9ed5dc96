import { hashUri, isPdf, shortHash, textIn } from './bytes.ts';
import { confidenceFor, type Guess } from './confidence.ts';
import { pdfText } from './pdf.ts';
import { rejectInput } from './rejected.ts';
import type { Parsed, RawContent } from './types.ts';

type Format = 'plain' | 'markdown' | 'pdf';

const formats: Record<string, Format> = {
  'text/plain': 'plain',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'application/pdf': 'pdf',
};

const accepted = 'a document source takes text/plain, text/markdown or application/pdf';

/** The format from the declared type, or from the bytes and the uri when the type says nothing. */
function formatOf(raw: RawContent): Format | undefined {
  const declared = raw.mediaType && raw.mediaType !== 'application/octet-stream' ? raw.mediaType : undefined;
  if (declared) return formats[declared];
  if (isPdf(raw.bytes)) return 'pdf';
  if (raw.uri && /\.(md|markdown)$/i.test(raw.uri)) return 'markdown';
  return 'plain';
}

/** The first ATX heading (`# Title`) of a markdown text. */
function markdownTitle(text: string): string | undefined {
  return /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1]?.trim();
}

/** A plain-text, markdown or PDF document as a `document.received` event with its text. */
export async function parseDocument(raw: RawContent): Promise<Parsed> {
  const format = formatOf(raw);
  if (!format) {
    return rejectInput('document', raw, 'unsupported document type', [
      { pointer: '/contentType', message: `is ${raw.mediaType}; ${accepted}` },
    ]);
  }
  const guesses: Guess[] = [];
  let text: string;
  let title: string | undefined;
  let pages: number | undefined;
  if (format === 'pdf') {
    if (!isPdf(raw.bytes)) {
      return rejectInput('document', raw, 'not a PDF', [{ pointer: '/content', message: 'has no %PDF- header' }]);
    }
    try {
      ({ text, title, pages } = await pdfText(raw.bytes));
    } catch (error) {
      return rejectInput('document', raw, 'unreadable PDF', [
        { pointer: '/content', message: `is not a readable PDF: ${(error as Error).message}` },
      ]);
    }
    if (!text) guesses.push('noTextLayer');
  } else {
    const decoded = textIn(raw.bytes, raw.charset);
    if (decoded === undefined) {
      return rejectInput('document', raw, 'not text', [
        { pointer: '/content', message: `is not ${raw.charset ?? 'UTF-8'} text; ${accepted}` },
      ]);
    }
    text = decoded.replace(/^\uFEFF/, '');
    if (!text.trim()) {
      return rejectInput('document', raw, 'empty document', [{ pointer: '/content', message: 'is empty' }]);
    }
    if (format === 'markdown') title = markdownTitle(text);
  }

  const uri = raw.uri ?? hashUri(raw.bytes);
  const version = raw.version ?? shortHash(raw.bytes);
  return {
    identity: `${uri}@${version}`,
    draft: {
      type: 'document.received',
      actor: { kind: 'system', name: raw.sourceName ?? 'document' },
      source: { kind: 'document', uri, version },
      // A document's event is its arrival; when it was written is not reliably known.
      occurredAt: raw.receivedAt,
      confidence: confidenceFor(guesses),
      payload: { ...(title ? { title } : {}), text, format, ...(pages === undefined ? {} : { pages }) },
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        contentType: format === 'pdf' ? 'application/pdf' : format === 'markdown' ? 'text/markdown' : 'text/plain',
        size: raw.bytes.length,
        guessed: guesses,
      },
    },
  };
}
