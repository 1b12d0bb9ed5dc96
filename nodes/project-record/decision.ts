/** A review decision that means "do not act on this": nothing is written for it. */
export function declined(decision: string | undefined): boolean {
  return decision === 'rejected' || decision === 'expired';
}

/** A reviewer that is a person, not the system settling a timeout (`system:timeout`). */
export function humanReviewer(reviewer: string | undefined): string | undefined {
  return reviewer && !reviewer.startsWith('system:') ? reviewer : undefined;
}
