import { sha256Hex } from '../../lib/sha256.ts';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { pdfAmount, drawableText, renderInvoicePdf } from '../../nodes/invoice/pdf.ts';
import type { BillTo, Seller } from '../../nodes/invoice/parties.ts';
import { totalsOf } from '../../lib/money/totals.ts';
import { priceItems } from '../../nodes/invoice/totals.ts';
import type { BillableItem, Invoice } from '../../schemas/invoice.ts';

const seller: Seller = {
  name: 'Ada Studio',
  address: ['1 Quay Street', 'Dublin D02'],
  email: 'ada@example.com',
  taxId: 'IE1234567X',
  paymentInstructions: 'IBAN IE29 AIBK 9311 5212 3456 78',
};
const billTo: BillTo = { name: 'Acme GmbH', addressLines: ['Hauptstraße 5', '10115 Berlin'], taxId: 'DE123456789' };

function invoiceOf(items: BillableItem[], overrides: Partial<Invoice> = {}): Invoice {
  const currency = overrides.currency ?? 'EUR';
  const lines = priceItems(items, { currency, defaultTaxRateBasisPoints: 2000 });
  return {
    id: 'invoice-1',
    number: 'INV-2026-0042',
    clientId: 'client-1',
    currency,
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    status: 'issued',
    lines,
    ...totalsOf(lines),
    notes: 'Thank you for your business.',
    ...overrides,
  };
}

const items: BillableItem[] = [
  { kind: 'hours', description: 'Design review', hours: 7.5, rateMinor: 9000 },
  { kind: 'fixed', description: 'Setup fee', amountMinor: 50000 },
  { kind: 'expense', description: 'Train to Zürich', amountMinor: 4250, taxRateBasisPoints: 0 },
];

async function textOf(pdf: Buffer): Promise<{ text: string; totalPages: number }> {
  return extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
}

describe('renderInvoicePdf', () => {
  it('renders a PDF whose text has the number, parties, lines, tax and total', async () => {
    const pdf = await renderInvoicePdf(invoiceOf(items), { seller, billTo });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    const { text, totalPages } = await textOf(pdf);
    expect(totalPages).toBe(1);
    for (const expected of [
      'INV-2026-0042',
      'Ada Studio',
      'IE1234567X',
      'Acme GmbH',
      'Hauptstraße 5',
      'Issue date: Mar 1, 2026',
      'Due date: Mar 31, 2026',
      'Train to Zürich',
      '€675.00', // 7.5 h × €90.00
      'Tax 20% on €1,175.00',
      '€235.00',
      'Total EUR',
      '€1,452.50',
      'Thank you for your business.',
      'IBAN IE29',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('renders the same bytes, hence the same sha256, for the same invoice', async () => {
    const first = await renderInvoicePdf(invoiceOf(items), { seller, billTo });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a wall-clock second later
    const second = await renderInvoicePdf(invoiceOf(items), { seller, billTo });
    expect(sha256Hex(second)).toBe(sha256Hex(first));
    const other = await renderInvoicePdf(invoiceOf(items, { number: 'INV-2026-0043' }), { seller, billTo });
    expect(sha256Hex(other)).not.toBe(sha256Hex(first));
  });

  it('uses each currency’s minor unit and falls back to the ISO code for symbols the font lacks', async () => {
    const yen = await textOf(await renderInvoicePdf(invoiceOf(items, { currency: 'JPY' }), { seller, billTo }));
    // JPY has no minor unit: a rate of 9000 is ¥9,000 and 7.5 h of it ¥67,500.
    expect(yen.text).toContain('¥67,500');
    const dinar = await textOf(await renderInvoicePdf(invoiceOf(items, { currency: 'KWD' }), { seller, billTo }));
    expect(dinar.text).toContain('KWD 67.500');
    expect(pdfAmount(123456, 'INR', 'en-IN')).toBe('INR\u00a01,234.56'); // ₹ is not in the standard fonts
    expect(drawableText('Acme 株式会社\u202fLtd')).toBe('Acme ???? Ltd');
  });

  it('continues the lines table on further pages', async () => {
    const many = Array.from({ length: 80 }, (_, index) => ({
      kind: 'fixed' as const,
      description: `Item ${index + 1}`,
      amountMinor: 1000,
    }));
    const { text, totalPages } = await textOf(await renderInvoicePdf(invoiceOf(many), { seller, billTo }));
    expect(totalPages).toBeGreaterThan(1);
    expect(text).toContain('Item 80');
    expect(text).toContain('€960.00'); // 80 × €10.00 + 20 %
  });

  it('marks a void invoice', async () => {
    const { text } = await textOf(await renderInvoicePdf(invoiceOf(items, { status: 'void' }), { seller, billTo }));
    expect(text).toContain('VOID');
  });
});
