import {
  composeNew,
  composeReply,
  type ComposedMessage,
  type MailAttachment,
  type Mailbox,
  type OriginalEmail,
} from '../../mail/compose/index.ts';
import { getMailAccount } from '../../store/mail-accounts.ts';
import { getInvoiceClient, getInvoicePdf } from '../../store/invoices.ts';
import type { Queryable } from '../../store/db.ts';
import { formatMinor } from '../../lib/money/money.ts';
import { fillTemplate } from '../invoice/notes.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { SendEmailConfig, SendEmailInput } from './definition.ts';

async function invoiceAttachment(db: Queryable, input: SendEmailInput): Promise<MailAttachment> {
  const invoice = input.invoice?.invoice;
  if (!invoice)
    throw new NodeInputError('attachInvoice is on but the input has no invoice (wire the invoice node’s output)');
  const pdf = await getInvoicePdf(db, invoice.id);
  if (!pdf) throw new NodeInputError(`invoice ${invoice.number} has no PDF stored`);
  return { filename: `${invoice.number}.pdf`, contentType: 'application/pdf', content: pdf };
}

type EmailEvent = NonNullable<SendEmailInput['event']>;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function mailboxesOf(value: unknown): Mailbox[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const { name, address } = (item ?? {}) as { name?: unknown; address?: unknown };
    return typeof address === 'string' ? [{ address, ...(typeof name === 'string' ? { name } : {}) }] : [];
  });
}

/** The parts of an email event's payload a reply needs (the payload is open-ended: read defensively). */
export function originalOf(event: EmailEvent): OriginalEmail {
  const payload = event.payload as Record<string, unknown>;
  const text = (key: string) => (typeof payload[key] === 'string' ? { [key]: payload[key] } : {});
  return {
    ...text('subject'),
    ...text('text'),
    ...text('messageId'),
    from: mailboxesOf(payload.from),
    replyTo: mailboxesOf(payload.replyTo),
    references: strings(payload.references),
    occurredAt: event.occurredAt,
  };
}

/** The text to send: a string, or a draft's `text`. */
export function bodyText(body: SendEmailInput['body']): string {
  return typeof body === 'string' ? body : body.text;
}

async function templateValues(db: Queryable, input: SendEmailInput): Promise<Record<string, string>> {
  const invoice = input.invoice?.invoice;
  const client = invoice?.clientId ? await getInvoiceClient(db, invoice.clientId) : undefined;
  const values: Record<string, string> = {};
  const original = input.event && originalOf(input.event);
  const sender = original?.replyTo?.[0]?.address ?? original?.from?.[0]?.address;
  if (sender) values.sender = sender;
  if (client?.emails[0]) values.clientEmail = client.emails[0];
  if (original?.subject) values.subject = original.subject;
  if (invoice) values.invoiceNumber = invoice.number;
  // An invoice record passed on without the invoice node's totalText (e.g. the reviewed value) has its total.
  const total =
    input.invoice?.totalText ??
    (invoice?.totalMinor !== undefined && invoice.currency
      ? formatMinor(invoice.totalMinor, invoice.currency)
      : undefined);
  if (total) values.total = total;
  return values;
}

/** Composes the message the node sends: its bytes are kept by the outbox on the first attempt. */
export async function composeFor(
  db: Queryable,
  input: SendEmailInput,
  config: SendEmailConfig,
  idempotencyKey: string,
  now: Date,
): Promise<ComposedMessage> {
  const account = await getMailAccount(db, config.account);
  if (!account) throw new NodeInputError(`mail account "${config.account}" does not exist`);
  const from = { address: account.address, ...(account.displayName ? { displayName: account.displayName } : {}) };
  const attachments = config.attachInvoice ? [await invoiceAttachment(db, input)] : [];
  try {
    if (config.mode === 'reply') {
      if (!input.event) throw new NodeInputError('mode "reply" needs the email answered in the input’s event');
      return await composeReply({
        from,
        original: originalOf(input.event),
        body: bodyText(input.body),
        idempotencyKey,
        date: now,
        attachments,
      });
    }
    const values = await templateValues(db, input);
    const to = fillTemplate(config.to ?? '', values)
      .split(',')
      .map((address) => address.trim())
      .filter((address) => /^[^\s@{}]+@[^\s@{}]+$/.test(address));
    if (to.length === 0) throw new NodeInputError(`config.to gives no address ("${config.to ?? ''}")`);
    return await composeNew({
      from,
      to: to.map((address) => ({ address })),
      subject: fillTemplate(config.subject ?? '', values),
      body: bodyText(input.body),
      idempotencyKey,
      date: now,
      attachments,
    });
  } catch (error) {
    if (error instanceof NodeInputError) throw error;
    throw new NodeInputError(`the message cannot be composed: ${(error as Error).message}`);
  }
}
