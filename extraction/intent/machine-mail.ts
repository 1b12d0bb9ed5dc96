// Mail that no person wrote to the operator: auto-replies, bounces, newsletters and bulk
// notices. Recognised from the headers mail systems set (RFC 3834 Auto-Submitted, RFC 3464
// delivery reports, RFC 2369 List-* fields, Precedence) and the subjects they use.
import type { EmailInput } from '../message/email-input.ts';
import { isRelay } from '../client/domains.ts';

export type MachineKind = 'auto-reply' | 'bounce' | 'newsletter' | 'notification';

const autoReplySubject =
  /^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|out of (?:the )?office|ooo\b|away from|abwesenheitsnotiz|abwesend|automatische antwort|réponse automatique|absence|respuesta automática|fuera de la oficina|ausente|afwezig(?:heidsmelding)?|automatisch antwoord|risposta automatica|fuori sede)/i;
const bounceSubject =
  /^(?:undeliverable|undelivered mail|delivery status notification|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice|delivery failure|nicht zustellbar|unzustellbar|non remis|échec de la remise|no se puede entregar|onbestelbaar|niet afgeleverd)/i;
const noReplySender =
  /^(?:no-?reply|do-?not-?reply|donotreply|notifications?|notify|alerts?|mailer|info|news|newsletter|updates?|billing|receipts?|hello)@/i;

// Replies to a calendar invitation (RFC 5546 iTIP REPLY), as calendars title them in five languages.
const calendarResponseSubject =
  /^(?:accepted|declined|tentatively accepted|tentative|updated invitation|invitation|angenommen|abgelehnt|mit vorbehalt angenommen|accepté|refusé|provisoire|aceptado|rechazado|provisional|geaccepteerd|geweigerd|voorlopig geaccepteerd)\s*:/i;

const paymentPlatform =
  /@(?:[\w-]+\.)?(?:paypal|stripe|wise|transferwise|square|squareup|sumup|gocardless|revolut|mollie|adyen|klarna|quickbooks|intuit|xero|freshbooks|wave|sevdesk|lexoffice|holded|moneybird|facturo|zoho)\.[a-z.]+$/i;

export function machineKind(input: EmailInput): MachineKind | undefined {
  const h = input.headers;
  const from = input.from?.address ?? '';
  const subject = input.subject.trim();
  if (/multipart\/report/i.test(h['content-type'] ?? '') && /delivery-status/i.test(h['content-type'] ?? ''))
    return 'bounce';
  if (/^(?:mailer-daemon|postmaster)@/i.test(from) || bounceSubject.test(subject)) return 'bounce';
  const autoSubmitted = (h['auto-submitted'] ?? '').toLowerCase();
  if (
    autoSubmitted.startsWith('auto-replied') ||
    h['x-autoreply'] ||
    h['x-autorespond'] ||
    /auto_reply/i.test(h.precedence ?? '')
  )
    return 'auto-reply';
  if (autoReplySubject.test(subject.replace(/^(?:re|aw|fw|fwd|wg|tr|rv):\s*/i, ''))) return 'auto-reply';
  if (isCalendarResponse(input)) return 'notification';
  if (h['list-unsubscribe'] || h['list-id'] || /^(?:bulk|list)$/i.test(h.precedence ?? '')) return 'newsletter';
  // A form relay ("New submission", Reply-To the enquirer) carries a person's message.
  if (isRelay(from) && input.replyTo.length > 0) return undefined;
  if (autoSubmitted.startsWith('auto-generated') || noReplySender.test(from) || paymentPlatform.test(from))
    return 'notification';
  return undefined;
}

/** A calendar's answer to an invitation: titled like one and sent by a calendar or carrying one. */
function isCalendarResponse(input: EmailInput): boolean {
  if (!calendarResponseSubject.test(input.subject.trim())) return false;
  const carriesCalendar =
    /text\/calendar/i.test(input.headers['content-type'] ?? '') ||
    input.attachments.some((a) => /text\/calendar/i.test(a.contentType) || /\.ics$/i.test(a.filename));
  return carriesCalendar || /calendar|kalender|calendrier|calendario|agenda/i.test(input.headers.sender ?? '');
}
