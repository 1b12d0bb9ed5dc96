import { promises as dns } from 'node:dns';
import type { DNSResolver } from 'mailauth';

// A short-lived cache in front of the DNS lookups of sender verification (DMARC and DKIM records).
// Node asks the system resolver anew for every message, so a back-fill of a thousand messages from
// a few dozen client domains would wait on the network a thousand times for the same few answers.
// Answers, and "no such record" (itself an answer), are kept for a minute; a timeout or a server
// failure is not kept, so the next message asks again. Concurrent questions share one lookup.

const ANSWERED = new Set(['ENOTFOUND', 'ENODATA']);

export interface DnsCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** The lookup behind the cache (default: the system's resolver). */
  resolve?: DNSResolver;
}

export function cachingResolver(options: DnsCacheOptions = {}): DNSResolver {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const resolve =
    options.resolve ?? ((name: string, rrtype: string) => dns.resolve(name, rrtype) as ReturnType<DNSResolver>);
  const entries = new Map<string, { until: number; answer: ReturnType<DNSResolver> }>();
  return (name, rrtype) => {
    const key = `${rrtype}\0${name.toLowerCase()}`;
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && hit.until > now) return hit.answer;
    entries.delete(key);
    const answer = resolve(name, rrtype);
    answer.catch((error: { code?: string }) => {
      if (!ANSWERED.has(error?.code ?? '') && entries.get(key)?.answer === answer) entries.delete(key);
    });
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { until: now + ttlMs, answer });
    return answer;
  };
}
