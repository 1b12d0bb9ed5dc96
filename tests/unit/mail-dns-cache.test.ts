import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachingResolver } from '../../mail/dns-cache.ts';

// The sender check's DNS cache: an answer (or "no such record") is asked once per minute, a
// failure to answer is asked again, and questions in flight at once share one lookup.
describe('cachingResolver', () => {
  afterEach(() => vi.restoreAllMocks());
  const failing = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));

  it('asks once for the same question, whatever its case, and again after the time to live', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const resolve = vi.fn((name: string) => Promise.resolve([[`v=DMARC1; p=none; ${name}`]]));
    const cached = cachingResolver({ resolve, ttlMs: 60_000 });
    const [a, b] = await Promise.all([cached('_dmarc.client.test', 'TXT'), cached('_dmarc.CLIENT.test', 'TXT')]);
    expect(a).toBe(b);
    expect(resolve).toHaveBeenCalledTimes(1);
    await cached('_dmarc.client.test', 'A');
    expect(resolve).toHaveBeenCalledTimes(2);
    now += 60_001;
    await cached('_dmarc.client.test', 'TXT');
    expect(resolve).toHaveBeenCalledTimes(3);
  });

  it('keeps "no such record" but asks again after a timeout or a server failure', async () => {
    const answers = ['ENOTFOUND', 'ETIMEOUT', 'ESERVFAIL'];
    for (const code of answers) {
      const resolve = vi.fn(() => failing(code));
      const cached = cachingResolver({ resolve });
      await expect(cached('_dmarc.gone.test', 'TXT')).rejects.toThrow(code);
      await expect(cached('_dmarc.gone.test', 'TXT')).rejects.toThrow(code);
      expect({ code, lookups: resolve.mock.calls.length }).toEqual({ code, lookups: code === 'ENOTFOUND' ? 1 : 2 });
    }
  });

  it('holds at most maxEntries answers, dropping the oldest', async () => {
    const resolve = vi.fn((name: string) => Promise.resolve([name]));
    const cached = cachingResolver({ resolve, maxEntries: 2 });
    await cached('a.test', 'TXT');
    await cached('b.test', 'TXT');
    await cached('c.test', 'TXT');
    await cached('a.test', 'TXT');
    expect(resolve.mock.calls.map(([name]) => name)).toEqual(['a.test', 'b.test', 'c.test', 'a.test']);
  });
});
