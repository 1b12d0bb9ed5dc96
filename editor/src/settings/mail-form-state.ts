// The account form as the person edits it (every input a string), and the conversions to and from
// the API's shapes. Passwords start empty: the API never answers them, and empty means "keep".
import type { MailAccount, MailAccountInput, MailAfterRun, MailSecurity } from './mail-types.ts';

export interface ImapForm {
  enabled: boolean;
  host: string;
  port: string;
  security: MailSecurity;
  user: string;
  password: string;
  /** One folder a line. */
  folders: string;
  sentFolder: string;
  afterRun: MailAfterRun;
  moveTo: string;
  backfillDays: string;
}

export interface SmtpForm {
  enabled: boolean;
  host: string;
  port: string;
  security: MailSecurity;
  user: string;
  password: string;
}

export interface MailForm {
  id: string;
  displayName: string;
  address: string;
  imap: ImapForm;
  smtp: SmtpForm;
}

/** The usual port of each security mode; `none` is for loopback test servers. */
export const defaultPorts: Record<'imap' | 'smtp', Record<MailSecurity, number>> = {
  imap: { tls: 993, starttls: 143, none: 143 },
  smtp: { tls: 465, starttls: 587, none: 25 },
};

/**
 * The port to show after the security mode changes: the new mode's default, unless the person
 * typed a port of their own (one that is no mode's default).
 */
export function portAfterSecurityChange(direction: 'imap' | 'smtp', port: string, security: MailSecurity): string {
  const known = Object.values(defaultPorts[direction]).map(String);
  return port.trim() === '' || known.includes(port.trim()) ? String(defaultPorts[direction][security]) : port;
}

export function emptyForm(): MailForm {
  return {
    id: '',
    displayName: '',
    address: '',
    imap: {
      enabled: true,
      host: '',
      port: '993',
      security: 'tls',
      user: '',
      password: '',
      folders: 'INBOX',
      sentFolder: '',
      afterRun: 'none',
      moveTo: '',
      backfillDays: '0',
    },
    smtp: { enabled: true, host: '', port: '465', security: 'tls', user: '', password: '' },
  };
}

export function formFromAccount(account: MailAccount): MailForm {
  const blank = emptyForm();
  const { imap, smtp } = account;
  return {
    id: account.id,
    displayName: account.displayName ?? '',
    address: account.address,
    imap: imap
      ? {
          enabled: true,
          host: imap.host,
          port: String(imap.port),
          security: imap.security,
          user: imap.user,
          password: '',
          folders: (imap.folders ?? ['INBOX']).join('\n'),
          sentFolder: imap.sentFolder ?? '',
          afterRun: imap.afterRun ?? 'none',
          moveTo: imap.moveTo ?? '',
          backfillDays: String(imap.backfillDays ?? 0),
        }
      : { ...blank.imap, enabled: false },
    smtp: smtp
      ? {
          enabled: true,
          host: smtp.host,
          port: String(smtp.port),
          security: smtp.security,
          user: smtp.user ?? '',
          password: '',
        }
      : { ...blank.smtp, enabled: false },
  };
}

/** A number as typed, or the text itself so that the server names the field when it is not one. */
function numberOrText(value: string): number {
  const trimmed = value.trim();
  return (trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed) as number;
}

const optional = <K extends string>(key: K, value: string): Partial<Record<K, string>> =>
  value.trim() === '' ? {} : ({ [key]: value.trim() } as Record<K, string>);

export function imapInput(form: ImapForm): NonNullable<MailAccountInput['imap']> {
  const folders = form.folders
    .split('\n')
    .map((folder) => folder.trim())
    .filter(Boolean);
  return {
    host: form.host.trim(),
    port: numberOrText(form.port),
    security: form.security,
    user: form.user.trim(),
    ...(form.password ? { password: form.password } : {}),
    ...(folders.length > 0 ? { folders } : {}),
    ...optional('sentFolder', form.sentFolder),
    afterRun: form.afterRun,
    ...(form.afterRun === 'move' ? optional('moveTo', form.moveTo) : {}),
    backfillDays: numberOrText(form.backfillDays || '0'),
  };
}

export function smtpInput(form: SmtpForm): NonNullable<MailAccountInput['smtp']> {
  return {
    host: form.host.trim(),
    port: numberOrText(form.port),
    security: form.security,
    ...optional('user', form.user),
    ...(form.password ? { password: form.password } : {}),
  };
}

/** The body of POST /api/mail/accounts and of the unsaved connection test. */
export function accountInput(form: MailForm): MailAccountInput {
  return {
    id: form.id.trim(),
    ...optional('displayName', form.displayName),
    address: form.address.trim(),
    ...(form.imap.enabled ? { imap: imapInput(form.imap) } : {}),
    ...(form.smtp.enabled ? { smtp: smtpInput(form.smtp) } : {}),
  };
}

/**
 * The body of PATCH /api/mail/accounts/:id: only what changed, so that an unchanged direction keeps
 * its tested state; a direction switched off is null (removed). Undefined when nothing changed.
 */
export function accountPatch(form: MailForm, initial: MailForm): Record<string, unknown> | undefined {
  const now = accountInput(form);
  const before = accountInput(initial);
  const patch: Record<string, unknown> = {};
  if (form.displayName.trim() !== initial.displayName.trim()) patch.displayName = form.displayName.trim();
  if (now.address !== before.address) patch.address = now.address;
  for (const direction of ['imap', 'smtp'] as const) {
    const changed = JSON.stringify(form[direction]) !== JSON.stringify(initial[direction]);
    if (changed) patch[direction] = now[direction] ?? null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** `/imap/port` → `imap.port`: the key a field error is shown under. */
export function fieldKey(pointer: string): string {
  return pointer.replace(/^\//, '').split('/').slice(0, 2).join('.');
}
