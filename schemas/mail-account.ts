import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE, timestamp } from './common.ts';

// A mailbox Trellis reads (IMAP) and sends from (SMTP). The account id doubles as the ingest
// source name its mail arrives under, so a trigger `{ kind: 'email', source: '<id>' }` listens to it.
// Passwords are write-only: accepted on create and update, sealed at rest, never answered.

export const mailAccountId = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', title: 'Account id' } as const;

/** tls: TLS from the first byte (993/465); starttls: upgrade a plain connection (143/587); none: loopback test servers only. */
export const mailSecurityModes = ['tls', 'starttls', 'none'] as const;
export const mailAfterRunActions = ['none', 'flag', 'move'] as const;

const host = { type: 'string', minLength: 1, maxLength: 253, title: 'Host' } as const;
const port = { type: 'integer', minimum: 1, maximum: 65535, title: 'Port' } as const;
const user = { type: 'string', minLength: 1, maxLength: 320, title: 'User name' } as const;
const password = { type: 'string', minLength: 1, maxLength: 1000, title: 'Password or app password' } as const;
const folder = { type: 'string', minLength: 1, maxLength: 500 } as const;
const address = { type: 'string', minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;

export const imapSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'security', 'user'],
  properties: {
    host,
    port,
    security: { enum: mailSecurityModes, title: 'Security' },
    user,
    /** Folders watched for new mail (default INBOX). */
    folders: { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: folder, title: 'Folders to watch' },
    /** Where sent replies are filed and looked up before a resend (default: the server's \Sent folder, if any). */
    sentFolder: { ...folder, title: 'Sent folder' },
    /** What to do with a message once its runs are started: nothing (read-only, the default), flag it \Seen, or move it. */
    afterRun: { enum: mailAfterRunActions, title: 'After the run starts' },
    moveTo: { ...folder, title: 'Move to folder' },
    /** Attachments larger than this are kept out of the event (listed with their size), default 10 MB. */
    maxAttachmentBytes: { type: 'integer', minimum: 0, maximum: 104_857_600, title: 'Largest attachment kept (bytes)' },
    /** On first connection, take the mail of the last N days (default 0: only what arrives from now on). */
    backfillDays: { type: 'integer', minimum: 0, maximum: 3650, title: 'Back-fill (days)' },
  },
} as const;

export const smtpSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'security'],
  properties: {
    host,
    port,
    security: { enum: mailSecurityModes, title: 'Security' },
    /** Absent for servers that take mail without authentication (a local sink). */
    user,
  },
} as const;

/** The body of POST /api/mail/accounts; PATCH takes any subset (a missing password keeps the stored one). */
export const mailAccountInputSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/mail-account-input.json`,
  title: 'MailAccountInput',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'address'],
  properties: {
    id: mailAccountId,
    displayName: { type: 'string', maxLength: 200, title: 'Name shown to recipients' },
    /** The From address of what Trellis sends. */
    address: { ...address, title: 'Email address' },
    imap: { ...imapSettingsSchema, properties: { ...imapSettingsSchema.properties, password } },
    smtp: { ...smtpSettingsSchema, properties: { ...smtpSettingsSchema.properties, password } },
  },
} as const;

export const mailConnectionStates = ['unknown', 'ok', 'failing', 'disabled'] as const;

/** An account as the API answers it: settings without passwords, and whether each direction works. */
export const mailAccountSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/mail-account.json`,
  title: 'MailAccount',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'address', 'createdAt', 'updatedAt', 'imapState', 'smtpState'],
  properties: {
    id: mailAccountId,
    displayName: { type: 'string', maxLength: 200 },
    address,
    imap: { ...imapSettingsSchema, properties: { ...imapSettingsSchema.properties, hasPassword: { type: 'boolean' } } },
    smtp: { ...smtpSettingsSchema, properties: { ...smtpSettingsSchema.properties, hasPassword: { type: 'boolean' } } },
    imapState: { enum: mailConnectionStates },
    imapError: { type: 'string', maxLength: 2000 },
    smtpState: { enum: mailConnectionStates },
    smtpError: { type: 'string', maxLength: 2000 },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export type MailSecurity = (typeof mailSecurityModes)[number];
export type MailConnectionState = (typeof mailConnectionStates)[number];
export type ImapSettings = FromSchema<typeof imapSettingsSchema>;
export type SmtpSettings = FromSchema<typeof smtpSettingsSchema>;
export type MailAccountInput = FromSchema<typeof mailAccountInputSchema>;
export type MailAccount = FromSchema<typeof mailAccountSchema>;
