import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree, freePort } from '../../services/ports.ts';

describe('assertPortFree', () => {
  it('resolves for a free port', async () => {
    await expect(assertPortFree(await freePort(), '127.0.0.1', 'test')).resolves.toBeUndefined();
  });

  it('names the port and its owner when the port is taken', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    await expect(assertPortFree(port, '127.0.0.1', 'Temporal frontend, TRELLIS_TEMPORAL_PORT')).rejects.toThrow(
      `Port ${port} on 127.0.0.1 (Temporal frontend, TRELLIS_TEMPORAL_PORT) is already in use`,
    );
    holder.close();
  });
});

describe('freePort', () => {
  it('hands out distinct bindable ports below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeLessThan(32768);
      await expect(assertPortFree(port, '127.0.0.1', 'test')).resolves.toBeUndefined();
    }
  });
});
