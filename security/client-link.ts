// Whether an event's link to a client and project may feed that client's data (memory,
// corrections) into what Trellis reads and writes for it. A link the sender could have forged
// (an unverified From address, a References header) is a guess: the event still shows the client,
// but nothing of the client's flows from it without a person's review.

/** How the store linked an event, kept in its metadata as `clientLink`. */
export interface ClientLink {
  /** caller: the API caller named the client; thread: a References header; address: the From address. */
  by: 'caller' | 'thread' | 'address';
  verified: boolean;
  /** Why it is (not) verified, for the ledger. */
  reason: string;
}

interface Linked {
  clientId?: string;
  projectId?: string;
  metadata?: { [key: string]: unknown };
}

export function clientLinkOf(event: Linked): ClientLink | undefined {
  const link = event.metadata?.['clientLink'];
  return link && typeof link === 'object' ? (link as ClientLink) : undefined;
}

/**
 * The client and project whose data may be used for this event: its links when they are verified
 * (or were made before links were verified, or by the caller), none when they are a guess.
 */
export function trustedLinks(event: Linked | undefined): { clientId?: string; projectId?: string; withheld?: string } {
  if (!event) return {};
  const link = clientLinkOf(event);
  if (link && !link.verified)
    return {
      withheld: `the link to client ${event.clientId ?? '?'} is a guess (${link.reason}): its data is not used`,
    };
  return {
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(event.projectId ? { projectId: event.projectId } : {}),
  };
}
