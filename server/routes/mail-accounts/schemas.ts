// Request and reply shapes of /api/mail/accounts, built from the contract in schemas/mail-account.ts
// (without its $id, so each route embeds the shape rather than registering a second copy).
import { mailAccountId, mailAccountInputSchema, mailAccountSchema } from '../../../schemas/mail-account.ts';

const { $id: _inputId, $schema: _inputDraft, ...accountInput } = mailAccountInputSchema;
const { $id: _viewId, $schema: _viewDraft, ...accountView } = mailAccountSchema;

export const mailDirections = ['imap', 'smtp'] as const;

export const accountParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: mailAccountId },
} as const;

export const createAccountBody = accountInput;

const imapInput = mailAccountInputSchema.properties.imap;
const smtpInput = mailAccountInputSchema.properties.smtp;

/** Any subset of the input but the id; a direction given replaces its settings, null removes it. */
export const patchAccountBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: mailAccountInputSchema.properties.displayName,
    address: mailAccountInputSchema.properties.address,
    imap: { anyOf: [imapInput, { type: 'null' }] },
    smtp: { anyOf: [smtpInput, { type: 'null' }] },
  },
} as const;

export const accountReply = accountView;

export const accountListReply = {
  type: 'object',
  additionalProperties: false,
  required: ['accounts'],
  properties: { accounts: { type: 'array', items: accountView } },
} as const;

export const testStoredBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    direction: { enum: ['imap', 'smtp', 'both'], description: 'Which side to test (default both).' },
  },
} as const;

/** Settings not saved yet, passwords included: what the editor's form tests before saving. */
export const testUnsavedBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { imap: imapInput, smtp: smtpInput },
} as const;

const failure = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'code', 'message'],
  properties: {
    ok: { const: false },
    code: { enum: ['auth', 'tls', 'unreachable', 'folder', 'other'] },
    message: { type: 'string', description: 'What went wrong and what to change; never a password.' },
  },
} as const;

const success = (details: object) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['ok', 'details'],
    properties: { ok: { const: true }, details },
  }) as const;

const imapDetails = {
  type: 'object',
  required: ['folders', 'idle'],
  properties: {
    folders: { type: 'array', items: { type: 'string' } },
    sentFolder: { type: 'string', description: 'The folder the server marks \\Sent.' },
    idle: { type: 'boolean', description: 'IDLE supported (otherwise the listener polls).' },
  },
} as const;

const smtpDetails = {
  type: 'object',
  required: ['authenticated'],
  properties: { authenticated: { type: 'boolean' } },
} as const;

export const testReply = {
  type: 'object',
  additionalProperties: false,
  properties: {
    imap: { oneOf: [success(imapDetails), failure] },
    smtp: { oneOf: [success(smtpDetails), failure] },
  },
} as const;
