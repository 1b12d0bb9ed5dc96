import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { getInvoice, getInvoicePdf, listInvoices } from '../../../store/invoices.ts';
import { notFound } from '../../lib/http-errors.ts';
import { idParams } from '../../schemas/common.ts';
import { listInvoicesQuery } from '../../schemas/source-of-truth.ts';

const tags = ['invoices'];

export const invoiceRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listInvoicesQuery } }, async (request) => ({
    invoices: await listInvoices(db, request.query),
  }));

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => {
    const invoice = await getInvoice(db, request.params.id);
    if (!invoice) throw notFound('invoice', '/params/id');
    return { invoice };
  });

  app.get('/:id/pdf', { schema: { tags, params: idParams } }, async (request, reply) => {
    const pdf = await getInvoicePdf(db, request.params.id);
    if (!pdf) throw notFound('invoice PDF', '/params/id');
    const invoice = await getInvoice(db, request.params.id);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${invoice?.number ?? 'invoice'}.pdf"`)
      .send(pdf);
  });

  return Promise.resolve();
};
