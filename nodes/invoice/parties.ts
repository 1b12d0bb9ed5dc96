// Who sends and who receives an invoice. The seller comes from the node's config; the client
// from its record, whose `billing` jsonb is free-form, so it is read defensively here.

export interface Seller {
  name: string;
  address?: string[];
  email?: string;
  taxId?: string;
  /** Bank details or a payment link, printed under the totals. */
  paymentInstructions?: string;
}

export interface BillTo {
  name: string;
  addressLines: string[];
  email?: string;
  taxId?: string;
}

/** Per-client invoice settings a client record may carry in `billing`; they beat the node's defaults. */
export interface ClientBillingDefaults {
  currency?: string;
  paymentTermsDays?: number;
  taxRateBasisPoints?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function wholeNumber(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** An address written as one string, a list of lines, or `{line1, line2, postalCode, city, region, country}`. */
export function addressLines(address: unknown): string[] {
  if (typeof address === 'string')
    return address
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  if (Array.isArray(address)) return address.map(text).filter((line) => line !== undefined);
  if (address && typeof address === 'object') {
    const a = address as Record<string, unknown>;
    const postal = text(a.postalCode) ?? text(a.postcode) ?? text(a.zip);
    const cityLine = [postal, text(a.city), text(a.region) ?? text(a.state)].filter(Boolean).join(' ');
    return [text(a.line1) ?? text(a.street), text(a.line2), cityLine || undefined, text(a.country)].filter(
      (line) => line !== undefined,
    );
  }
  return [];
}

/** The addressee from a client's name, emails and `billing` record (`billing.name` is the legal name if it differs). */
export function billToFromClient(client: {
  name: string;
  emails?: string[];
  billing: Record<string, unknown>;
}): BillTo {
  const { billing } = client;
  const email = text(billing.email) ?? client.emails?.[0];
  const taxId = text(billing.taxId) ?? text(billing.vatId);
  return {
    name: text(billing.name) ?? client.name,
    addressLines: addressLines(billing.address),
    ...(email ? { email } : {}),
    ...(taxId ? { taxId } : {}),
  };
}

export function clientBillingDefaults(billing: Record<string, unknown>): ClientBillingDefaults {
  const currency =
    typeof billing.currency === 'string' && /^[A-Z]{3}$/.test(billing.currency) ? billing.currency : undefined;
  const paymentTermsDays = wholeNumber(billing.paymentTermsDays, 0, 365);
  const taxRateBasisPoints = wholeNumber(billing.taxRateBasisPoints, 0, 10_000);
  return {
    ...(currency ? { currency } : {}),
    ...(paymentTermsDays !== undefined ? { paymentTermsDays } : {}),
    ...(taxRateBasisPoints !== undefined ? { taxRateBasisPoints } : {}),
  };
}
