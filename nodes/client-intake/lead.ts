import type { EventValue, Extraction } from '../sdk/ports.ts';

/** Who the lead is and what they asked for, from the event and the extraction's fields. */
export interface Lead {
  clientName: string;
  email?: string;
  contactName?: string;
  projectName: string;
  /** Budget, deadline and needs as extract found them, kept on the project for the proposal. */
  details: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function leadFrom(event: EventValue, extraction: Extraction | undefined, projectName?: string): Lead {
  const fields = extraction?.fields ?? {};
  const payloadFields = (event.payload as { fields?: Record<string, unknown> }).fields ?? {};
  const emailCandidate = text(fields.email) ?? event.actor.address;
  const email = emailCandidate && EMAIL.test(emailCandidate) ? emailCandidate.toLowerCase() : undefined;
  const contactName = text(fields.name) ?? event.actor.name;
  // A company named in a form field beats one the text mentions; a person's name is the last resort.
  const organization = [...(extraction?.organizations ?? [])].sort((a, b) => b.confidence - a.confidence)[0]?.name;
  const clientName =
    text(payloadFields.company) ?? text(fields.company) ?? organization ?? contactName ?? email ?? 'New client';
  const subject = event.payload.subject?.trim();
  const details = Object.fromEntries(
    ['budget', 'deadline', 'needs'].filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]]),
  );
  return {
    clientName: clientName.slice(0, 200),
    ...(email ? { email } : {}),
    ...(contactName ? { contactName } : {}),
    projectName: (projectName ?? subject ?? `Enquiry from ${clientName}`).slice(0, 200),
    details,
  };
}
