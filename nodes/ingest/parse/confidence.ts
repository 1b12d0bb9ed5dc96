/**
 * How much each guess lowers an event's confidence. An event read from well-formed input,
 * every field as the sender declared it, has confidence 1; each field Trellis had to guess
 * subtracts its penalty (the lowest confidence is 0.1; rejected events have 0). The guesses
 * are listed in the event's `metadata.guessed`, so a reviewer sees why.
 */
export const guessPenalty = {
  /** An email without a usable Date header: the time is when Trellis received it. */
  occurredAtFromReceipt: 0.2,
  /** A webhook body with no timestamp field: the time is its delivery, usually seconds later. */
  occurredAtFromDelivery: 0.05,
  /** An email without From: the sender was read from Sender or Reply-To. */
  actorFromOtherHeader: 0.1,
  /** Nobody is named: an email with no From, Sender or Reply-To, a form with no email field. */
  actorUnknown: 0.3,
  /** A PDF with no text layer (a scan): the event carries no text to act on. */
  noTextLayer: 0.5,
  /** An email whose MIME boundaries match no part: its text was read from the raw parts. */
  textFromBrokenMime: 0.3,
  /** A transcript whose meeting date neither the caller, the file nor its name gave: the time is its ingest. */
  meetingAtFromReceipt: 0.1,
} as const;

export type Guess = keyof typeof guessPenalty;

export function confidenceFor(guesses: readonly Guess[]): number {
  const penalty = guesses.reduce((sum, guess) => sum + guessPenalty[guess], 0);
  return Math.max(0.1, Math.round((1 - penalty) * 100) / 100);
}
