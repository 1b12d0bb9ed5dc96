import net from 'node:net';

/** Resolves when host:port can be bound, rejects with a message naming the port and its user otherwise. */
export function assertPortFree(port: number, host: string, owner: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code ?? error.message})`;
      reject(
        new Error(
          `Port ${port} on ${host} (${owner}) ${reason}. Stop what holds it, or choose another port (see the README's configuration table).`,
        ),
      );
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

// Listening ports for test and bench stacks come from below Linux's ephemeral range (32768-60999):
// a port the kernel hands out with `listen(0)` sits in that range and, once released, can be taken
// as the source port of any outgoing connection before our service binds it (seen in CI).
const LISTEN_PORT_MIN = 20000;
const LISTEN_PORT_MAX = 32000;
const handedOut = new Set<number>();

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port that can be bound on host now, outside the ephemeral range, never the same twice in a process. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LISTEN_PORT_MIN + Math.floor(Math.random() * (LISTEN_PORT_MAX - LISTEN_PORT_MIN));
    if (handedOut.has(port)) continue;
    handedOut.add(port); // before the await, so concurrent callers never pick the same port
    if (await canBind(port, host)) return port;
    handedOut.delete(port);
  }
  throw new Error(`No free port found on ${host} between ${LISTEN_PORT_MIN} and ${LISTEN_PORT_MAX}`);
}

/** Resolves true once a TCP connection to host:port succeeds. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
