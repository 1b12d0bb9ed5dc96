// Signs that a mail is phishing or fraud rather than what it claims to be: links whose text
// names another site than they lead to, a Reply-To on another domain, a look-alike of a
// domain the operator knows, failed sender authentication, and the requests fraud makes
// (log in, verify, new bank details, gift cards, urgency).
import type { EmailInput } from '../message/email-input.ts';
import type { Link } from '../message/body.ts';
import { domainOfAddress, domainStem, isFreeMail, isRelay } from '../client/domains.ts';

export interface PhishingSignals {
  score: number;
  reasons: string[];
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url.startsWith('http') ? url : `http://${url}`).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
};

/** The domain one registers: "harrowvale.co.uk", "acme.com" (two-part public suffixes kept whole). */
const registrable = (host: string) => {
  const labels = host.split('.');
  const twoPart = labels.length > 2 && /^(?:co|com|org|net|ac|gov|edu|ltd|plc|gob|or|ne)$/.test(labels.at(-2)!);
  return labels.slice(twoPart ? -3 : -2).join('.');
};

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

const credentialRequest =
  /\b(?:verify your (?:account|identity|email|mailbox)|confirm your (?:account|identity|password|credentials|details)|log ?in to (?:view|access|confirm|review|avoid)|sign in to (?:view|access|review)|re-?activate|reset your password|password (?:expires|will expire)|mailbox (?:is )?(?:full|storage)|unusual (?:sign-in )?activity|account (?:has been |will be )?(?:suspended|locked|limited|deactivated|closed)|kennwort|passwort|konto (?:wird )?gesperrt|bestätigen sie ihre|mot de passe|compte (?:sera )?suspendu|vérifiez votre|contraseña|cuenta (?:será )?suspendida|verifique su|wachtwoord|account (?:wordt )?geblokkeerd|verifieer uw|(?:ligne|accès|service|compte|cuenta|servicio|konto|zugang|dienst|account)[^.\n]{0,40}(?:seront |sera |será |wird |worden |will be )?(?:suspendu|suspendus|suspendue|suspendida|suspendido|gesperrt|geblokkeerd|afgesloten|suspended|deactivated))\b/i;
const paymentDetailChange =
  /\b(?:(?:update|confirm|verify|re-?enter|mettre à jour|mettez à jour|confirmer|vérifier|régulariser|aktualisieren|bestätigen|actualizar|actualice|confirmar|confirme|bijwerken|bevestig|controleer)\b[^.\n]{0,60}\b(?:bank(?:ing)? details|card details|coordonnées bancaires|carte (?:bancaire|vitale)|bankdaten|bankverbindung|kreditkarte|datos bancarios|tarjeta|bankgegevens|rekeninggegevens)|(?:changed|updated|new|change of|update our|update the) (?:bank(?:ing)?|account|payment) (?:details|information|account)|bank details have (?:changed|been updated)|new account (?:details|number)|neue bankverbindung|bankverbindung (?:hat sich )?geändert|nouvelles coordonnées bancaires|changement de rib|nouveau rib|nuevos datos bancarios|cambio de cuenta|nieuwe bankgegevens|gewijzigde bankgegevens)\b/i;
const fraudRequest =
  /\b(?:gift ?cards?|itunes cards?|(?:please|kindly|need you to|can you|could you)\s+wire (?:the )?(?:funds|payment|money)|keep this (?:confidential|between us)|i'?m in a meeting|are you available\?|bitcoin|crypto(?:currency)?|wallet address|seed phrase|investment opportunity|guaranteed returns?|inheritance|beneficiary)\b/i;
/** A request to move money today: "please pay the deposit to this account today" (not "we paid today"). */
const urgentPayment =
  /\b(?:please|kindly|need you to|can you|could you|i need|we need|must|bitte|merci de|veuillez|por favor|necesito|graag|moet)\b[^.!?\n]{0,40}\b(?:pay|transfer|wire|send|settle|überweisen|überweisung|virement|virer|payer|transferencia|transferir|pagar|overmaken|betalen)\b[^.!?\n]{0,80}\b(?:today|now|immediately|asap|urgently|right away|this afternoon|before \d|heute|sofort|aujourd'hui|immédiatement|hoy|ya|inmediatamente|vandaag|meteen)\b/i;
/** Refunds and rewards behind a click: "cliquez ici pour recevoir votre remboursement". */
const refundLure =
  /\b(?:refund|reimbursement|remboursement|reembolso|erstattung|rückerstattung|terugbetaling|teruggave|prize|reward|compensation)\b[\s\S]{0,200}\b(?:click|cliquez|clique|klicken|klik|pulse|haga clic|log ?in|connectez|sign in|confirm|confirmez|bestätigen|bevestig)\b/i;
/** Throwaway domains that dress up as a service: "ameli-assure-info.com", "docusign-secure.portal-auth.info". */
const costumeDomain =
  /(?:^|[.-])(?:secure|security|verify|verification|login|signin|account|accounts|support|service|services|info|update|auth|portal|confirm|refund|assur\w*|billing|payment|wallet|helpdesk|notice|track|tracking|delivery|bezorging|zustellung|livraison|envio|envios|parcel|paket|pakket|colis|envelopes?|docs?|files?|share|online|center|centre)(?:[.-]|$)/i;

/** Names of services phishing dresses up as; their real domains are the bare name. */
const brands =
  /\b(microsoft|office ?365|outlook|docusign|dropbox|paypal|apple|icloud|amazon|dhl|ups|fedex|postnl|correos|la ?poste|colissimo|royal ?mail|netflix|google|adobe|wetransfer|stripe|wise|revolut|ameli|assurance maladie|hmrc|irs|finanzamt|sparkasse|ing|rabobank|abn ?amro|bbva|santander|caixabank|bnp|credit agricole|société générale)\b/i;

const pressure =
  /\b(?:urgent(?:ly)?|immediately|within 24 hours|within 48 hours|(?:sous|dans les|innerhalb von|en|binnen) (?:24|48|72) (?:heures|stunden|horas|uur)|today only|final notice|last warning|act now|avoid (?:suspension|penalt|late fees)|dringend|sofort|umgehend|letzte mahnung|urgente|immédiatement|inmediatamente|dringend|onmiddellijk|direct)\b/i;
/** Unsolicited sales pitches: a feature of the intent model, not a sign of fraud. */
export const spamOffer =
  /\b(?:following up on my (?:previous|last) (?:email|message)|just circling back|if this isn'?t relevant|if you'?re not the right person|reply (?:"?no"?|stop|unsubscribe) and|won'?t contact you again|free (?:\d+-minute )?(?:consultation|audit|quote|trial)|a team of \d+\+? (?:developers|designers|experts)|dedicated developers|developers? (?:start|starting) at|internet keyword|conflicts with your (?:company name|trademark)|dear (?:ceo|business owner|website owner|sir\/madam)|seo (?:services|package|audit for your|experts?|agency)|first page of google|page one of google|rank(?:ing)? (?:higher|#1|on google)|backlinks?|guest post|sponsored post|link insertion|domain authority|web traffic|increase your sales|lead generation services|cheap|discount|limited time offer|special offer|we are a leading|outsourc(?:e|ing) (?:team|company)|app development company|domain (?:name )?(?:registration|listing|expir)|search engine (?:submission|registration)|unsubscribe|opt.?out)\b/i;

export function phishingSignals(
  input: EmailInput,
  links: Link[],
  text: string,
  knownDomains: string[],
): PhishingSignals {
  const reasons: string[] = [];
  let score = 0;
  const fromDomain = domainOfAddress(input.from?.address);
  for (const link of links) {
    const target = hostOf(link.href);
    const shown = /^(?:https?:\/\/)?[\w.-]+\.[a-z]{2,}(?:\/\S*)?$/i.test(link.text) ? hostOf(link.text) : undefined;
    if (target && shown && registrable(target) !== registrable(shown)) {
      reasons.push(`a link shows ${shown} but leads to ${target}`);
      score += costumeDomain.test(target.split('.').slice(0, -1).join('.')) ? 4 : 3;
      break;
    }
    if (target && /^\d+\.\d+\.\d+\.\d+$/.test(target)) {
      reasons.push(`a link leads to a bare IP address (${target})`);
      score += 2;
      break;
    }
  }
  const replyDomain = domainOfAddress(input.replyTo[0]?.address);
  if (
    replyDomain &&
    fromDomain &&
    replyDomain !== fromDomain &&
    !isRelay(input.from?.address) &&
    registrable(replyDomain) !== registrable(fromDomain)
  ) {
    reasons.push(`Reply-To (${replyDomain}) is another domain than From (${fromDomain})`);
    score += isFreeMail(input.replyTo[0]?.address) ? 2 : 1.5;
  }
  const fromStem = fromDomain ? domainStem(fromDomain) : '';
  for (const known of knownDomains) {
    const knownStem = domainStem(known);
    if (
      fromStem &&
      knownStem &&
      fromStem !== knownStem &&
      levenshtein(fromStem, knownStem) <= 2 &&
      knownStem.length >= 5
    ) {
      reasons.push(`${fromDomain} looks like ${known}`);
      score += 3;
      break;
    }
  }
  const auth = (input.headers['authentication-results'] ?? '').toLowerCase();
  if (/\b(?:dmarc|spf|dkim)=(?:fail|softfail)\b/.test(auth)) {
    reasons.push('the sender failed authentication (SPF, DKIM or DMARC)');
    score += 3;
  }
  const display = input.from?.name ?? '';
  const brand = brands.exec(`${display} ${input.subject}`)?.[1]?.toLowerCase().replace(/\s+/g, '');
  if (brand && fromDomain) {
    const stem = domainStem(fromDomain);
    const official =
      stem === brand ||
      (brand === 'office365' && stem === 'microsoft') ||
      (brand === 'assurancemaladie' && stem === 'ameli');
    if (!official) {
      reasons.push(`it speaks for ${brand} but comes from ${fromDomain}`);
      score += fromDomain.includes(brand) || fromDomain.includes('-') ? 2 : 1;
    }
  }
  if (credentialRequest.test(text)) {
    reasons.push('it asks to log in or verify an account');
    score += 2;
  }
  if (paymentDetailChange.test(text)) {
    reasons.push('it announces new bank details');
    score += 2;
  }
  if (fraudRequest.test(text)) {
    reasons.push('it asks for the kind of payment fraud asks for');
    score += 2;
  }
  if (urgentPayment.test(text)) {
    reasons.push('it asks for a payment today');
    score += 1;
  }
  if (refundLure.test(text)) {
    reasons.push('it offers a refund or reward behind a click');
    score += 2;
  }
  const costumes = [fromDomain, replyDomain].filter(
    (d) => d && costumeDomain.test(d.split('.').slice(0, -1).join('.')),
  );
  if (costumes.length > 0 && (costumes.some((d) => d.includes('-')) || costumes.length > 1)) {
    reasons.push(`${costumes[0]} dresses up as a service`);
    score += 1.5;
  }
  if (pressure.test(text)) {
    reasons.push('it presses for haste');
    score += 0.5;
  }

  return { score, reasons };
}
