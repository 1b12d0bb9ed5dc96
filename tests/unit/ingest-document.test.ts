import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { fixture } from '../fixtures/ingest/support.ts';

const receivedAt = '2024-10-05T12:00:00.000Z';

/** A PDF with no text layer, like a scan: only a drawn rectangle. */
async function pdfWithoutText(): Promise<Buffer> {
  const document = new PDFDocument();
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => document.on('end', resolve));
  document.rect(50, 50, 200, 100).fill('#333333');
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

describe('ingest document parser', () => {
  it('reads a markdown document with its declared uri and version, and its title', async () => {
    const content = fixture('scope-of-work.md').toString('utf8');
    const { draft, identity } = await parseInput(
      'document',
      { content, contentType: 'text/markdown', uri: 'doc://acme/scope-of-work.md', version: 'v2' },
      { receivedAt },
    );
    expect(draft.type).toBe('document.received');
    expect(draft.source).toEqual({ kind: 'document', uri: 'doc://acme/scope-of-work.md', version: 'v2' });
    expect(identity).toBe('doc://acme/scope-of-work.md@v2');
    expect(draft.payload).toMatchObject({ title: 'Scope of work: Acme Studio brand refresh', format: 'markdown' });
    expect(draft.payload.text).toBe(content);
    expect(draft.confidence).toBe(1);
  });

  it('recognises markdown by the uri when no type is declared, and names undeclared content by its hash', async () => {
    const markdown = await parseInput(
      'document',
      { content: '# Notes\n\nship it', uri: 'notes/week-40.md' },
      { receivedAt },
    );
    expect(markdown.draft.payload.format).toBe('markdown');
    const plain = await parseInput('document', { content: 'ship it' }, { receivedAt });
    expect(plain.draft.payload.format).toBe('plain');
    expect(plain.draft.source.uri).toMatch(/^urn:sha256:[0-9a-f]{64}$/);
    expect(plain.draft.source.version).toBe(
      plain.draft.source.uri.slice('urn:sha256:'.length, 'urn:sha256:'.length + 16),
    );
  });

  it('reads text in a declared charset', async () => {
    // ISO-8859-15 puts € at 0xA4, where Latin-1 has ¤.
    const bytes = Buffer.concat([Buffer.from('Café crème, 12 ', 'latin1'), Buffer.from([0xa4])]);
    const { draft } = await parseInput(
      'document',
      { content: bytes.toString('base64'), encoding: 'base64', contentType: 'text/plain; charset=ISO-8859-15' },
      { receivedAt },
    );
    expect(draft.payload.text).toBe('Café crème, 12 €');
  });

  it('extracts the text, page count and title of a PDF', async () => {
    const pdf = fixture('sow.pdf');
    const { draft } = await parseInput(
      'document',
      { content: pdf.toString('base64'), encoding: 'base64', contentType: 'application/pdf' },
      { receivedAt, sourceName: 'uploads' },
    );
    expect(draft.status).toBeUndefined();
    expect(draft.payload).toMatchObject({
      format: 'pdf',
      pages: 1,
      title: 'Statement of Work - Acme Studio brand refresh',
    });
    expect(draft.payload.text).toContain('Delivery of final files by 15 November 2024.');
    expect(draft.actor).toEqual({ kind: 'system', name: 'uploads' });
  });

  it('accepts a PDF without a text layer at low confidence', async () => {
    const pdf = await pdfWithoutText();
    const { draft } = await parseInput(
      'document',
      { content: pdf.toString('base64'), encoding: 'base64' },
      { receivedAt },
    );
    expect(draft.status).toBeUndefined();
    expect(draft.payload.text).toBe('');
    expect(draft.confidence).toBe(0.5);
    expect(draft.metadata.guessed).toEqual(['noTextLayer']);
  });

  it.each([
    [
      { contentType: 'image/png', content: 'iVBORw0KGgo=', encoding: 'base64' as const },
      '/contentType',
      /^is image\/png;/,
    ],
    [{ contentType: 'application/pdf', content: 'just text' }, '/content', /^has no %PDF- header$/],
    [
      {
        contentType: 'application/pdf',
        content: Buffer.from('%PDF-1.4\ntruncated').toString('base64'),
        encoding: 'base64' as const,
      },
      '/content',
      /^is not a readable PDF: /,
    ],
    [
      { content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff]).toString('base64'), encoding: 'base64' as const },
      '/content',
      /^is not UTF-8 text;/,
    ],
    [{ content: '\uFEFF   ', contentType: 'text/plain' }, '/content', /^is empty$/],
  ])('rejects %o, naming the bad field', async (input, pointer, message) => {
    const { draft, bytes } = await parseInput('document', input, { receivedAt });
    expect(draft.status).toBe('rejected');
    expect(draft.rejection?.errors).toEqual([{ pointer, message: expect.stringMatching(message) }]);
    expect(bytes.length).toBeGreaterThan(0);
  });
});
