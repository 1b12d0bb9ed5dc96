// Sender verification with real DKIM signatures (mailauth signs, a key pair made here) and a DNS
// resolver that answers only for the names a test publishes.
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign, type DNSResolver } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { parseAuthenticationResults } from '../../mail/authentication-results.ts';
import { verifySender } from '../../mail/verify-sender.ts';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

function dns(records: Record<string, string>): DNSResolver {
  return (name, rrtype) => {
    const value = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (value === undefined)
      return Promise.reject(Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' }));
    return Promise.resolve([[value]]);
  };
}

const published = dns({
  'mail._domainkey.client.example': `v=DKIM1; k=rsa; p=${publicKey}`,
  'mail._domainkey.evil.example': `v=DKIM1; k=rsa; p=${publicKey}`,
  '_dmarc.client.example': 'v=DMARC1; p=reject',
});

function message(extraHeaders = ''): string {
  return [
    `${extraHeaders}From: Ana Ruiz <ana@client.example>`,
    'To: me@studio.example',
    'Subject: Invoice 7 and the new bank details',
    'Date: Mon, 7 Dec 2026 09:00:00 +0000',
    'Message-ID: <m1@client.example>',
    '',
    'Please pay invoice 7 to our new account.',
    '',
  ].join('\r\n');
}

async function signed(text: string, domain: string): Promise<Buffer> {
  const { signatures, errors } = await dkimSign(text, {
    canonicalization: 'relaxed/relaxed',
    // mailauth signs once per entry of signatureData (the top-level fields are defaults for them).
    signatureData: [{ signingDomain: domain, selector: 'mail', privateKey }],
  } as Parameters<typeof dkimSign>[1]);
  expect(signatures).toMatch(/^DKIM-Signature:/);
  expect(errors).toEqual([]);
  return Buffer.from(signatures + text);
}

describe('verifySender', () => {
  it('passes a message DKIM-signed by its From domain, which publishes DMARC', async () => {
    const result = await verifySender(await signed(message(), 'client.example'), { resolver: published });
    expect(result).toMatchObject({ status: 'pass', method: 'dmarc', domain: 'client.example' });
  });

  it('fails a message altered after signing', async () => {
    const raw = (await signed(message(), 'client.example')).toString().replace('our new account', 'this account');
    const result = await verifySender(Buffer.from(raw), { resolver: published });
    expect(result).toMatchObject({ status: 'fail', domain: 'client.example' });
  });

  it('fails a message signed by another domain than its From', async () => {
    const result = await verifySender(await signed(message(), 'evil.example'), { resolver: published });
    expect(result).toMatchObject({ status: 'fail', domain: 'client.example' });
  });

  it('cannot verify an unsigned message from a domain without DMARC', async () => {
    const raw = Buffer.from(message().replaceAll('client.example', 'quiet.example'));
    const result = await verifySender(raw, { resolver: published });
    expect(result).toMatchObject({ status: 'none', domain: 'quiet.example' });
  });

  it("believes a trusted receiving server's Authentication-Results, and only a trusted one", async () => {
    const header =
      'Authentication-Results: mx.studio.example; dkim=pass header.d=client.example; dmarc=pass (p=reject) header.from=client.example\r\n';
    const raw = Buffer.from(message(header));
    expect(await verifySender(raw, { trustedAuthservIds: ['mx.studio.example'], resolver: published })).toMatchObject({
      status: 'pass',
      method: 'authentication-results',
    });
    // The same header from a server nobody trusts is just text the sender wrote: the own check runs.
    expect(await verifySender(raw, { trustedAuthservIds: ['mx.other.example'], resolver: published })).toMatchObject({
      status: 'fail',
      method: 'dmarc',
    });
    // A trusted verdict about another domain says nothing of this From.
    const other = Buffer.from(message(header.replace('header.from=client.example', 'header.from=elsewhere.example')));
    expect(
      (await verifySender(other, { trustedAuthservIds: ['mx.studio.example'], resolver: published })).method,
    ).not.toBe('authentication-results');
  });

  it('gives up on a resolver that never answers, saying so', async () => {
    const silent: DNSResolver = () => new Promise(() => {});
    const started = Date.now();
    const result = await verifySender(await signed(message(), 'client.example'), { resolver: silent, timeoutMs: 300 });
    expect(result).toMatchObject({ status: 'none' });
    expect(result.reason).toMatch(/no DNS answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('parseAuthenticationResults', () => {
  it('reads the server, each method and its properties, ignoring comments', () => {
    const field = parseAuthenticationResults(
      'mx.google.com 1;\r\n dkim=pass (2048-bit key) header.i=@client.example;\r\n spf=softfail smtp.mailfrom=x@y.z; dmarc=fail (p=NONE) header.from=client.example',
    );
    expect(field?.authservId).toBe('mx.google.com');
    expect(field?.methods.get('dkim')).toEqual({ result: 'pass', props: { 'header.i': '@client.example' } });
    expect(field?.methods.get('spf')?.result).toBe('softfail');
    expect(field?.methods.get('dmarc')).toEqual({ result: 'fail', props: { 'header.from': 'client.example' } });
  });
});
