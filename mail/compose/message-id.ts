import { createHash } from 'node:crypto';

/** The sending domain of an address (`ada@studio.example` → `studio.example`). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).trim() : '';
  if (!domain) throw new Error(`"${address}" has no domain`);
  return domain.toLowerCase();
}

/**
 * The Message-ID of what a (run, node) sends: derived from its idempotency key, so the same
 * send always carries the same id and a copy already in the Sent folder can be found by it.
 */
export function deterministicMessageId(idempotencyKey: string, fromAddress: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${digest}@${domainOf(fromAddress)}>`;
}

/** `abc@x` or `<abc@x>` → `<abc@x>`. */
export function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}
