import PDFDocument from 'pdfkit';
import type { Invoice } from '../../schemas/invoice.ts';
import { formatMinor } from '../../lib/money/money.ts';
import type { BillTo, Seller } from './parties.ts';
import { taxByRate } from '../../lib/money/totals.ts';

// The invoice as a PDF, drawn with pdfkit's standard Helvetica (nothing embedded, so the
// bytes depend only on the invoice): the same invoice renders the same bytes and sha256.

export interface RenderInvoiceOptions {
  seller: Seller;
  billTo: BillTo;
  /** BCP 47 locale for amounts and dates (default en-US). */
  locale?: string;
}

// The standard fonts speak WinAnsi (cp1252); anything else would come out as garbage glyphs.
const winAnsi = new Set([
  ...Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index)),
  ...new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 0x80 }, (_, index) => 0x80 + index)),
]);

function encodable(value: string): boolean {
  return [...value].every((char) => winAnsi.has(char));
}

function plainSpaces(value: string): string {
  return value.replace(/[\u2000-\u200b\u202f\u205f\u3000\t]/g, ' ');
}

/** Text the standard fonts can draw: odd spaces become spaces, other characters outside cp1252 become "?". */
export function drawableText(value: string): string {
  return [...plainSpaces(value)].map((char) => (char === '\n' || winAnsi.has(char) ? char : '?')).join('');
}

/** An amount as the PDF prints it: with the symbol when cp1252 has it (€, £, ¥, $), else with the ISO code (₹ → INR). */
export function pdfAmount(minor: number, currency: string, locale: string): string {
  const symbol = plainSpaces(formatMinor(minor, currency, locale));
  return encodable(symbol) ? symbol : drawableText(formatMinor(minor, currency, locale, 'code'));
}

function formatDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

function formatRate(basisPoints: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

function formatQuantity(quantity: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(quantity);
}

const gray = '#555555';
const rule = '#bbbbbb';

/** Renders the invoice; resolves with the whole file. */
export function renderInvoicePdf(
  invoice: Invoice,
  { seller, billTo, locale = 'en-US' }: RenderInvoiceOptions,
): Promise<Buffer> {
  // A fixed CreationDate also fixes the file ID pdfkit derives from the info dictionary.
  const issued = new Date(`${invoice.issueDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    lang: locale,
    info: {
      Title: drawableText(`Invoice ${invoice.number}`),
      Author: drawableText(seller.name),
      Subject: drawableText(`Invoice ${invoice.number} to ${billTo.name}`),
      Creator: 'Trellis',
      Producer: 'Trellis (PDFKit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const amount = (minor: number) => pdfAmount(minor, invoice.currency, locale);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const top = doc.page.margins.top;

  // Seller, top left.
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(drawableText(seller.name), left, top, { width: width / 2 });
  doc.font('Helvetica').fontSize(9).fillColor(gray);
  for (const line of seller.address ?? []) doc.text(drawableText(line), { width: width / 2 });
  if (seller.email) doc.text(drawableText(seller.email), { width: width / 2 });
  if (seller.taxId) doc.text(drawableText(`Tax ID: ${seller.taxId}`), { width: width / 2 });
  const sellerBottom = doc.y;

  // Invoice number and dates, top right.
  doc.fillColor('black').font('Helvetica-Bold').fontSize(20).text('INVOICE', left, top, { width, align: 'right' });
  doc.font('Helvetica').fontSize(10);
  for (const [label, value] of [
    ['Number', invoice.number],
    ['Issue date', formatDate(invoice.issueDate, locale)],
    ['Due date', formatDate(invoice.dueDate, locale)],
  ] as const) {
    doc.text(drawableText(`${label}: ${value}`), left, doc.y, { width, align: 'right' });
  }
  if (invoice.status === 'void')
    doc.font('Helvetica-Bold').fillColor('#b00020').text('VOID', { width, align: 'right' });

  // Bill to.
  doc.y = Math.max(sellerBottom, doc.y) + 25;
  doc.fillColor(gray).font('Helvetica-Bold').fontSize(9).text('BILL TO', left);
  doc.fillColor('black').font('Helvetica-Bold').fontSize(11).text(drawableText(billTo.name));
  doc.font('Helvetica').fontSize(10);
  for (const line of billTo.addressLines) doc.text(drawableText(line));
  if (billTo.email) doc.text(drawableText(billTo.email));
  if (billTo.taxId) doc.text(drawableText(`Tax ID: ${billTo.taxId}`));
  doc.moveDown(1.5);

  // Lines; pdfkit's table breaks pages by itself.
  const numeric = { align: { x: 'right' as const, y: 'top' as const } };
  doc.fontSize(9).table({
    position: { x: left },
    maxWidth: width,
    columnStyles: ['*', 55, 85, 50, 90].map((columnWidth, index) => ({
      width: columnWidth,
      ...(index > 0 ? numeric : {}),
    })),
    defaultStyle: { border: { top: 0, right: 0, bottom: 0.5, left: 0 }, borderColor: rule, padding: [5, 4] },
    data: [
      ['Description', 'Qty', 'Unit price', 'Tax', 'Amount'].map((text) => ({
        text,
        type: 'TH' as const,
        font: { src: 'Helvetica-Bold' },
        border: { bottom: 1 },
        borderColor: 'black',
      })),
      ...invoice.lines.map((line) => [
        drawableText(line.description),
        formatQuantity(line.quantity, locale) + (line.kind === 'hours' ? ' h' : ''),
        amount(line.unitAmountMinor),
        formatRate(line.taxRateBasisPoints, locale),
        amount(line.netMinor),
      ]),
    ],
  });

  // Totals, right aligned under the amount column; one tax row per rate.
  doc.moveDown(1);
  const totalsX = left + width - 250;
  const totalRow = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : 10);
    doc.text(drawableText(label), totalsX, y, { width: 150 });
    doc.text(value, totalsX + 150, y, { width: 100, align: 'right' });
  };
  totalRow('Net', amount(invoice.netMinor));
  for (const rate of taxByRate(invoice.lines)) {
    totalRow(`Tax ${formatRate(rate.rateBasisPoints, locale)} on ${amount(rate.netMinor)}`, amount(rate.taxMinor));
  }
  doc
    .moveTo(totalsX, doc.y + 2)
    .lineTo(left + width, doc.y + 2)
    .strokeColor('black')
    .lineWidth(0.5)
    .stroke();
  doc.moveDown(0.4);
  // The code after "Total" tells $ (USD) from $ (CAD), unless the amount already shows it.
  const total = amount(invoice.totalMinor);
  totalRow(total.includes(invoice.currency) ? 'Total' : `Total ${invoice.currency}`, total, true);

  doc.x = left;
  doc.font('Helvetica').fontSize(10).fillColor('black');
  if (invoice.notes) {
    doc
      .moveDown(2)
      .font('Helvetica-Bold')
      .text('Notes', left)
      .font('Helvetica')
      .text(drawableText(invoice.notes), { width });
  }
  if (seller.paymentInstructions) {
    doc.moveDown(1).font('Helvetica-Bold').text('Payment', left);
    doc.font('Helvetica').text(drawableText(seller.paymentInstructions), { width });
  }
  doc.end();
  return done;
}
