// The extraction library's result as the extract node's output port: the same facts, in the
// shape templates and the routing rules read (intent labels, action items with owners, amounts
// in minor units), with the spans and the route kept for the review screen.
import { minorUnitsOrUndefined } from '../../lib/money/money.ts';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import type { EventValue, Extraction, Intent } from '../sdk/ports.ts';
import { fillFields } from './fields.ts';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The port's labels predate the library's: "change" is "change-request" there. */
export function portIntent(label: ExtractionResult['intent']['label']): Intent {
  return label === 'change' ? 'change-request' : label;
}

export function toPort(
  result: ExtractionResult,
  event: EventValue,
  fields: readonly string[],
  model: string,
): {
  extraction: Extraction;
  notes: string[];
} {
  const senderName = event.actor.name;
  const amounts = result.amounts.flatMap((amount) => {
    const amountMinor = minorUnitsOrUndefined(amount.value, amount.currency);
    return amountMinor === undefined
      ? []
      : [
          {
            text: amount.text,
            amountMinor,
            currency: amount.currency,
            value: amount.value,
            role: amount.role,
            confidence: round(amount.confidence),
            span: amount.span,
          },
        ];
  });
  const actionItems = [
    ...result.actions.map((action) => ({
      text: action.text,
      owner: 'me',
      ...(action.due ? { due: action.due } : {}),
      confidence: round(action.confidence),
      span: action.span,
    })),
    ...result.commitments.map((commitment) => ({
      text: commitment.text,
      owner: commitment.owner === 'sender' ? (senderName ?? 'sender') : 'other',
      ...(commitment.due ? { due: commitment.due } : {}),
      confidence: round(result.confidence),
      span: commitment.span,
    })),
  ];
  const { fields: filled, missing } = fillFields(fields, result, event);
  const extraction: Extraction = {
    intent: {
      label: portIntent(result.intent.label),
      kind: result.intent.kind,
      confidence: round(result.intent.confidence),
      reasons: result.intent.reasons,
    },
    actionItems,
    dates: result.dates.map((date) => ({
      text: date.text,
      date: date.time ? `${date.date}T${date.time}` : date.date,
      role: date.role,
      confidence: round(date.confidence),
      span: date.span,
    })),
    amounts,
    people: senderName
      ? [{ name: senderName, ...(event.actor.address ? { email: event.actor.address } : {}), confidence: 0.9 }]
      : [],
    organizations: result.client ? [{ name: result.client.name, confidence: round(result.client.confidence) }] : [],
    ...(result.client
      ? {
          client: {
            name: result.client.name,
            ...(result.client.clientId ? { clientId: result.client.clientId } : {}),
            confidence: round(result.client.confidence),
            evidence: result.client.evidence,
          },
        }
      : {}),
    ...(fields.length > 0 ? { fields: filled } : {}),
    route: result.route,
    reasons: result.reasons,
    message: { text: result.message.text, segments: result.message.segments },
    confidence: round(result.confidence),
    tier: 'local',
    model,
  };
  return { extraction, notes: missing.length > 0 ? [`fields not found: ${missing.join(', ')}`] : [] };
}
