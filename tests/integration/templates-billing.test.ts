import { describe, expect, it } from 'vitest';
import { listProjectRecords } from '../../store/project-records.ts';
import { getInvoice, getInvoicePdf, listInvoices } from '../../store/invoices.ts';
import { expectFinalLedger } from '../fixtures/templates/ledger.ts';
import {
  invoiceApprovedWork,
  overdueInvoiceReminder,
  REVIEWER,
  reminderText,
  runTemplate,
} from '../fixtures/templates/scenarios.ts';
import { templateWorld } from '../support/template-world.ts';

describe('billing templates, run end to end offline', () => {
  const world = templateWorld();

  it('invoice from approved work: issues the invoice with a PDF, records it on the project, bills each item once', async () => {
    const { run, client, project, recordIds, parameters, seriesPrefix } = await invoiceApprovedWork(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    expect(run.result.outputs.void).toEqual({ voided: false, status: 'issued' });

    const [invoice] = await listInvoices(world.h.db, { projectId: project.id });
    expect(invoice).toMatchObject({ clientId: client.id, status: 'issued', currency: 'EUR' });
    expect(invoice?.number).toMatch(new RegExp(`^${seriesPrefix}-\\d{4}-0001$`));
    // 6 h × 90.00 + 49.00 + 2 h × 80.00 (the template's hourly rate), each line with 20 % tax.
    expect(invoice?.lines.map((line) => line.netMinor)).toEqual([54_000, 4_900, 16_000]);
    expect(invoice).toMatchObject({ netMinor: 74_900, taxMinor: 14_980, totalMinor: 89_880 });
    const pdf = await getInvoicePdf(world.h.db, invoice!.id);
    expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(invoice?.pdfSha256).toMatch(/^[0-9a-f]{64}$/);

    const [onProject] = (await listProjectRecords(world.h.db, { projectId: project.id, kind: 'invoice' })).items;
    expect(onProject?.body).toMatchObject({
      content: { id: invoice!.id, number: invoice!.number, totalMinor: 89_880 },
      settles: recordIds,
      reviewedBy: REVIEWER,
      decision: 'approved',
    });
    expect(onProject?.title).toBe(invoice!.number);

    // The next run finds nothing left to bill: no second invoice, and everything after skips.
    const again = await runTemplate(
      world,
      'invoice-approved-work',
      parameters,
      { data: { projectId: project.id } },
      {},
    );
    await expectFinalLedger(world.h, again.handle.workflowId, again.plan, ['invoice', 'review', 'record', 'void']);
    expect(again.result.outputs.items).toMatchObject({ count: 0, recordIds: [] });
    expect(await listInvoices(world.h.db, { projectId: project.id })).toHaveLength(1);
  });

  it('invoice from approved work: a rejected invoice is voided, keeps its number, and bills nothing', async () => {
    const { run, project } = await invoiceApprovedWork(world, undefined, 'rejected');
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    const issued = run.result.outputs.invoice as { invoice: { id: string; number: string } };
    expect(await getInvoice(world.h.db, issued.invoice.id)).toMatchObject({
      status: 'void',
      number: issued.invoice.number,
      voidReason: `rejected in review by ${REVIEWER}`,
    });
    expect(run.result.outputs.record).toMatchObject({ written: false });
    expect((await listProjectRecords(world.h.db, { projectId: project.id, kind: 'invoice' })).items).toEqual([]);
  });

  it('overdue invoice reminder: drafts from the unpaid invoices past due and waits for approval', async () => {
    const { run, invoice, client } = await overdueInvoiceReminder(world);
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan);
    const overdue = run.result.outputs.overdue?.overdue as { asOf: string; invoices: Record<string, unknown>[] };
    expect(overdue.asOf).toBe('2026-03-01');
    expect(overdue.invoices).toContainEqual(
      expect.objectContaining({
        number: invoice.number,
        clientName: client.name,
        clientEmail: client.emails[0],
        daysOverdue: 15,
        totalText: '€2,500.00',
      }),
    );
    const draftTask = run.tasks.find((task) => task.nodeId === 'draft');
    expect(JSON.stringify(draftTask?.context.prompt)).toContain(invoice.number);
    const review = run.tasks.find((task) => task.nodeId === 'review');
    expect(review?.proposed).toMatchObject({ kind: 'reminder', text: reminderText });
    expect(run.result.outputs.review).toMatchObject({ decision: 'approved', reviewer: REVIEWER });
  });

  // generate has no required input: it is skipped because everything wired into it sits on the untaken branch.
  it('overdue invoice reminder: with nothing overdue, nothing is drafted', async () => {
    const run = await runTemplate(world, 'overdue-invoice-reminder', {}, { data: { asOf: '2000-01-01' } }, {});
    await expectFinalLedger(world.h, run.handle.workflowId, run.plan, ['draft', 'review']);
    expect(run.result.outputs.overdue).toMatchObject({ overdue: { count: 0, invoices: [] } });
    expect(run.tasks).toEqual([]);
  });
});
