// A TCP proxy in front of a real SMTP server (mailpit) that injects the failures a sender must
// survive, one connection at a time: a temporary or permanent refusal at MAIL FROM (the proxy
// answers for the server), or a connection dropped right after the client wrote the message's
// final "." — either before the server got it (it never arrives) or after (it arrives, but the
// client never hears the 250). Faults are queued: each new connection takes the next one.
import net from 'node:net';
import { freePort } from '../../../services/ports.ts';

export type SmtpFault =
  { kind: 'refuse-mail-from'; reply: string } | { kind: 'drop-at-data-end'; forwardDataEnd: boolean };

export interface SmtpFaultProxy {
  host: string;
  port: number;
  /** Faults for the next connections, in order; connections beyond them pass through untouched. */
  queue(...faults: SmtpFault[]): void;
  /** Every connection the proxy took, and the fault each got (undefined: passed through). */
  connections(): (SmtpFault['kind'] | undefined)[];
  stop(): Promise<void>;
}

const DATA_END = Buffer.from('\r\n.\r\n');

/** Answers like a server that refuses MAIL FROM, without a server behind it. */
function refuse(client: net.Socket, reply: string): void {
  client.write('220 fault-proxy ESMTP\r\n');
  let buffered = '';
  client.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const verb = line.split(/[\s:]/)[0]!.toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') client.write('250 fault-proxy\r\n');
      else if (verb === 'MAIL') client.write(`${reply}\r\n`);
      else if (verb === 'QUIT') client.end('221 bye\r\n');
      else client.write('250 OK\r\n');
    }
  });
}

/** Relays both ways; once the client sent DATA, holds its bytes until the final "." and then drops the client. */
function dropAtDataEnd(client: net.Socket, upstream: net.Socket, forwardDataEnd: boolean): void {
  let inData = false;
  let held = Buffer.alloc(0);
  let relayReplies = true;
  upstream.on('data', (chunk) => {
    if (relayReplies) client.write(chunk);
    else if (/^250 /m.test(chunk.toString('latin1'))) client.destroy(); // the server took it; the client never hears so
  });
  client.on('data', (chunk) => {
    if (!inData) {
      upstream.write(chunk);
      if (/^DATA\r?$/im.test(chunk.toString('latin1'))) inData = true;
      return;
    }
    held = Buffer.concat([held, chunk]);
    if (!held.subarray(-DATA_END.length).equals(DATA_END)) return;
    relayReplies = false;
    if (forwardDataEnd) {
      upstream.write(held);
    } else {
      upstream.write(held.subarray(0, held.length - 3)); // everything but ".\r\n": the server waits for the end
      client.destroy();
      upstream.destroy();
    }
  });
}

export async function startSmtpFaultProxy(target: { host: string; port: number }): Promise<SmtpFaultProxy> {
  const pending: SmtpFault[] = [];
  const seen: (SmtpFault['kind'] | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const fault = pending.shift();
    seen.push(fault?.kind);
    if (fault?.kind === 'refuse-mail-from') return refuse(client, fault.reply);
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    if (fault?.kind === 'drop-at-data-end') return dropAtDataEnd(client, upstream, fault.forwardDataEnd);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    host: '127.0.0.1',
    port,
    queue: (...faults) => pending.push(...faults),
    connections: () => [...seen],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
