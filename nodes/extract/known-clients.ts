// The clients in the source of truth, as the extraction library matches senders against them.
import type { KnownClient } from '../../extraction/client/find-client.ts';
import type { Queryable } from '../../store/db.ts';
import { listClients } from '../../store/clients.ts';

/** A solo operator has tens of clients, not thousands: one page is all of them. */
export async function knownClientsOf(db: Queryable): Promise<KnownClient[]> {
  const { items } = await listClients(db, { limit: 500 });
  return items.map((client) => ({ id: client.id, name: client.name, emails: client.emails, domains: client.domains }));
}
