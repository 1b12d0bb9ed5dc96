import type { ParsedMail } from 'mailparser';

// Mail that a machine sent: auto-replies (RFC 3834 Auto-Submitted, X-Autoreply), bounces (RFC 3464
// multipart/report delivery status, mailer-daemon and postmaster senders) and bulk or list mail
// (Precedence). It is stored like any mail but marked, so that no workflow answers it automatically
// (two auto-responders answering each other is a mail loop).

export interface Automated {
  kind: 'auto-reply' | 'bounce' | 'bulk';
  evidence: string;
}

function headerValue(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name)?.line;
  if (line === undefined) return undefined;
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

export function automatedOf(mail: ParsedMail, fromAddresses: string[]): Automated | undefined {
  const contentType = headerValue(mail, 'content-type');
  if (
    contentType &&
    /^multipart\/report\b/i.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/i.test(contentType)
  )
    return { kind: 'bounce', evidence: `Content-Type: ${contentType}` };
  const daemon = fromAddresses.find((address) => /^(mailer-daemon|postmaster)@/i.test(address));
  if (daemon) return { kind: 'bounce', evidence: `From: ${daemon}` };
  const autoSubmitted = headerValue(mail, 'auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted))
    return { kind: 'auto-reply', evidence: `Auto-Submitted: ${autoSubmitted}` };
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = headerValue(mail, name);
    if (value !== undefined)
      return { kind: 'auto-reply', evidence: `${name === 'x-autoreply' ? 'X-Autoreply' : 'X-Autorespond'}: ${value}` };
  }
  const precedence = headerValue(mail, 'precedence');
  if (precedence && /^(bulk|junk|list)\b/i.test(precedence))
    return { kind: 'bulk', evidence: `Precedence: ${precedence}` };
  return undefined;
}
