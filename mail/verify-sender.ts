// Is the sender of a message who the From header says? Trellis links mail to a client by its
// From address and thread, and that link decides whose memory and corrections feed extraction and
// drafting; a forged From must not pull another client's facts into a reply. A sender is verified
// when DMARC passes for the From domain: either a receiving server the operator trusts says so in
// its Authentication-Results field, or Trellis checks DKIM and the domain's DMARC record itself
// (mailauth). Without either, the sender is unverified: links made from it are guesses.
import { authenticate, type DNSResolver } from 'mailauth';
import { trustedAuthenticationResults } from './authentication-results.ts';

export interface SenderVerification {
  /** pass: DMARC passed for the From domain; fail: it failed; none: it could not be checked. */
  status: 'pass' | 'fail' | 'none';
  /** Who decided: a trusted receiving server's header, or Trellis's own DKIM and DMARC check. */
  method: 'authentication-results' | 'dmarc' | 'none';
  /** The From header's domain. */
  domain?: string;
  reason: string;
}

export interface VerifySenderOptions {
  /** authserv-ids of the receiving servers whose Authentication-Results are believed. */
  trustedAuthservIds?: readonly string[];
  /** DNS lookups for DKIM keys and DMARC records (tests inject one; default: the system's). */
  resolver?: DNSResolver;
  /** The whole check gives up after this long and says so (default 4 s). */
  timeoutMs?: number;
  /** Read trusted servers' verdicts only, no DNS (offline extraction). */
  offline?: boolean;
}

function headerSection(raw: Buffer): string {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function headerValues(section: string, name: string): string[] {
  const unfolded = section.replace(/\r?\n[ \t]+/g, ' ');
  const prefix = `${name.toLowerCase()}:`;
  return unfolded
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

function fromDomain(section: string): string | undefined {
  const from = headerValues(section, 'from');
  if (from.length !== 1) return undefined;
  const address = from[0]!.match(/<([^>]+)>/)?.[1] ?? from[0]!;
  return (
    address
      .split('@')[1]
      ?.trim()
      .toLowerCase()
      .replace(/[>\s].*$/, '') || undefined
  );
}

function byTrustedServer(section: string, domain: string | undefined, trusted: readonly string[]) {
  for (const field of trustedAuthenticationResults(headerValues(section, 'authentication-results'), [...trusted])) {
    const dmarc = field.methods.get('dmarc');
    if (!dmarc) continue;
    const headerFrom = dmarc.props['header.from']?.toLowerCase();
    if (headerFrom && domain && headerFrom !== domain) continue;
    const status = dmarc.result === 'pass' ? 'pass' : dmarc.result === 'fail' ? 'fail' : 'none';
    return {
      status,
      method: 'authentication-results',
      ...(domain ? { domain } : {}),
      reason: `${field.authservId} says dmarc=${dmarc.result}`,
    } satisfies SenderVerification;
  }
  return undefined;
}

async function byOwnCheck(raw: Buffer, domain: string, options: VerifySenderOptions): Promise<SenderVerification> {
  const timeoutMs = options.timeoutMs ?? 4_000;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const result = await Promise.race([
      authenticate(raw, {
        disableArc: true,
        disableBimi: true,
        ...(options.resolver ? { resolver: options.resolver } : {}),
      }),
      gaveUp,
    ]);
    if (!result) return { status: 'none', method: 'none', domain, reason: `no DNS answer within ${timeoutMs} ms` };
    if (!result.dmarc) return { status: 'none', method: 'none', domain, reason: 'DMARC could not be evaluated' };
    const outcome = result.dmarc.status.result;
    if (outcome === 'pass')
      return { status: 'pass', method: 'dmarc', domain, reason: 'DKIM aligned with From, DMARC pass' };
    if (outcome === 'fail')
      return { status: 'fail', method: 'dmarc', domain, reason: 'DMARC fail for the From domain' };
    return { status: 'none', method: 'none', domain, reason: `DMARC ${outcome}` };
  } catch (error) {
    return { status: 'none', method: 'none', domain, reason: `could not check: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function verifySender(raw: Buffer, options: VerifySenderOptions = {}): Promise<SenderVerification> {
  const section = headerSection(raw);
  const domain = fromDomain(section);
  const trusted = byTrustedServer(section, domain, options.trustedAuthservIds ?? []);
  if (trusted) return trusted;
  if (!domain) return { status: 'none', method: 'none', reason: 'no single From address' };
  if (options.offline) return { status: 'none', method: 'none', domain, reason: 'not checked (offline)' };
  return byOwnCheck(raw, domain, options);
}
