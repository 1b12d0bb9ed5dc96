import { extractText, getDocumentProxy, getMeta } from 'unpdf';

export interface PdfText {
  text: string;
  pages: number;
  title?: string;
}

/** The text layer of a PDF (pages joined by newlines) and its title. Throws when the bytes are not a readable PDF. */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  // pdf.js may transfer the buffer it is given: pass a copy. Verbosity 0 keeps its warnings off stdout.
  const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { totalPages, text } = await extractText(document, { mergePages: true });
    const { info } = await getMeta(document);
    const title = (info as { Title?: unknown }).Title;
    return {
      text: text.trim(),
      pages: totalPages,
      ...(typeof title === 'string' && title.trim() ? { title: title.trim() } : {}),
    };
  } finally {
    await document.loadingTask.destroy();
  }
}
