import { extractEmail, type ExtractOptions } from '../../extraction/extract.ts';
import type { EmailInput } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';

// The operator is Sam Carter of Northwind Studio; 2026-03-04 is a Wednesday.
export function email(overrides: Partial<EmailInput> & { text?: string }): EmailInput {
  return {
    subject: 'Hello',
    from: { name: 'Jane Doe', address: 'jane@acme-studio.co.uk' },
    replyTo: [],
    to: [{ name: 'Sam Carter', address: 'sam@northwind.studio' }],
    cc: [],
    sentAt: '2026-03-04T10:00:00+00:00',
    headers: {},
    attachments: [],
    ...overrides,
  };
}

/** The whole extraction of a mail built from `email`. */
export const read = (overrides: Partial<EmailInput> & { text?: string }, options: ExtractOptions = {}) =>
  extractEmail(email(overrides), { models: loadModels(), ...options });
