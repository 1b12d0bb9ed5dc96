import { fieldErrors, validatorFor } from '../../schemas/ajv.ts';
import { billableItemSchema, type BillableItem } from '../../schemas/invoice.ts';
import type { ProjectRecord } from '../../store/project-records.ts';
import { NodeInputError } from '../sdk/context.ts';

type Fields = Record<string, unknown>;

/** The record's fields: a project-record node wraps them as `{ content }`, people may write them bare. */
export function fieldsOf(record: ProjectRecord): Fields {
  const body = record.body && typeof record.body === 'object' ? (record.body as Fields) : {};
  const content = body.content;
  return content && typeof content === 'object' && !Array.isArray(content) ? (content as Fields) : body;
}

function pick(fields: Fields, names: string[]): Fields {
  return Object.fromEntries(names.filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]]));
}

/** One invoice item per record; a record that does not make a valid item stops the run, naming it. */
export function itemOf(record: ProjectRecord, defaultRateMinor: number | undefined): BillableItem {
  const fields = fieldsOf(record);
  const description = typeof fields.description === 'string' && fields.description ? fields.description : record.title;
  const shared = { description, ...pick(fields, ['taxRateBasisPoints', 'date']) };
  const item =
    record.kind === 'time-entry'
      ? { kind: 'hours', ...shared, ...pick(fields, ['hours']), rateMinor: fields.rateMinor ?? defaultRateMinor }
      : { kind: record.kind === 'expense' ? 'expense' : 'fixed', ...shared, ...pick(fields, ['amountMinor']) };
  const validate = validatorFor(billableItemSchema);
  const needs = item.kind === 'hours' ? ['hours', 'rateMinor'] : ['amountMinor'];
  const missing = needs.filter((name) => (item as Fields)[name] === undefined);
  if (!validate(item) || missing.length > 0) {
    const problems = [
      ...missing.map((name) => `${name} is missing`),
      ...fieldErrors(validate.errors).map((error) => `${error.pointer} ${error.message}`),
    ];
    throw new NodeInputError(
      `${record.kind} record ${record.id} ("${record.title}") is not billable: ${problems.join('; ')}`,
    );
  }
  return item as BillableItem;
}

/** Ids an invoice record says it settled. */
export function settledBy(record: ProjectRecord): string[] {
  const body = record.body && typeof record.body === 'object' ? (record.body as Fields) : {};
  return Array.isArray(body.settles) ? body.settles.filter((id): id is string => typeof id === 'string') : [];
}
