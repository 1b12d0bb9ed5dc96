import type { Keyring } from '../../security/keyring.ts';
import type { Queryable } from '../../store/db.ts';
import { sendOnce, type SendRequest, type SendResult } from './send.ts';

/** What a node sends mail through (NodeServices.mail): sendOnce with the worker's database and keyring. */
export interface MailSender {
  send(request: SendRequest): Promise<SendResult>;
}

/** The keyring is read on the first send, so a worker that never sends mail never needs it. */
export function createMailSender(db: Queryable, keyring: () => Keyring): MailSender {
  let loaded: Keyring | undefined;
  return {
    send(request) {
      loaded ??= keyring();
      return sendOnce({ db, keyring: loaded }, request);
    },
  };
}
