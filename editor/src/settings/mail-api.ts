// The mail accounts routes the settings page calls (docs/API.md, "Mail accounts").
import { api } from '../api/client.ts';
import type { ConnectionTest, MailAccount, MailAccountInput, MailDirection, UnsavedSettings } from './mail-types.ts';

const base = '/mail/accounts';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const mailAccountsPath = base;

export const mailApi = {
  create: (input: MailAccountInput) => api.post<MailAccount>(base, input),
  update: (id: string, patch: Record<string, unknown>) => api.patch<MailAccount>(one(id), patch),
  remove: (id: string) => api.delete(one(id)),
  /** Tries settings that are not saved yet. */
  testUnsaved: (settings: UnsavedSettings) => api.post<ConnectionTest>(`${base}/test`, settings),
  /** Tries a saved account with its stored passwords; the account's states follow the answer. */
  testSaved: (id: string, direction: MailDirection | 'both' = 'both') =>
    api.post<ConnectionTest>(`${one(id)}/test`, { direction }),
};
