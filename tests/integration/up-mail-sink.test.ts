import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../mail/connections.ts';
import type { HealthReport } from '../../services/health.ts';
import { eventually, startUp, type UpProcess } from '../support/trellis-up.ts';

// `./trellis up` as an operator runs it starts mailpit, the local mail sink: it prints where to
// read sent mail, takes SMTP on loopback, keeps the mail in the data folder, and is restarted
// like the other services when it dies.
describe('trellis up with the local mail sink', () => {
  let up: UpProcess;
  let webUrl = '';
  let smtpPort = 0;

  const health = async () =>
    (await (
      await fetch(`${up.base}/api/health`, { headers: { authorization: `Bearer ${up.token()}` } })
    ).json()) as HealthReport;
  const subjects = async () => {
    const response = await fetch(`${webUrl}/api/v1/messages`);
    const body = (await response.json()) as { messages: { Subject: string }[] };
    return body.messages.map((message) => message.Subject);
  };

  beforeAll(async () => {
    up = await startUp();
    const printed = /Sent mail \(local sink\)\s+(http:\/\/127\.0\.0\.1:\d+) \(SMTP 127\.0\.0\.1:(\d+)\)/.exec(
      up.output(),
    );
    expect(printed, up.output()).not.toBeNull();
    webUrl = printed![1]!;
    smtpPort = Number(printed![2]);
  }, 660_000);

  afterAll(() => up?.close(), 60_000);

  it('takes mail over SMTP on loopback and keeps it through a SIGKILL and restart', async () => {
    // The sink starts beside Temporal and Weaviate (staged up), so it may come a moment after the URLs.
    const sink = await eventually(
      'mailpit to be watched and running',
      async () => {
        const child = (await health()).processes?.mailpit;
        return child?.state === 'running' ? child : undefined;
      },
      120_000,
      () => `${up.output()}\nmailpit log:\n${up.logTail('mailpit')}`,
    );
    expect(sink).toMatchObject({ state: 'running', restarts: 0 });
    const transport = smtpTransport({ host: '127.0.0.1', port: smtpPort, security: 'none', user: 'op', password: 'x' });
    try {
      await transport.sendMail({ from: 'op@example.test', to: 'ada@client.test', subject: 'Kept', text: 'Hi' });
    } finally {
      transport.close();
    }
    expect(await subjects()).toEqual(['Kept']);
    expect(existsSync(path.join(up.dataDir, 'mailpit', 'mailpit.db'))).toBe(true);

    const pid = up.pid('mailpit');
    expect(pid, 'run/mailpit.pid').toBeDefined();
    process.kill(pid!, 'SIGKILL');
    await eventually(
      `a new mailpit after SIGKILL of pid ${pid}`,
      async () => {
        const child = (await health()).processes?.mailpit;
        return child?.state === 'running' && child.pid !== pid ? child : undefined;
      },
      60_000,
      () => `${up.output()}\nmailpit log:\n${up.logTail('mailpit')}`,
    );
    expect(up.output()).toContain('mailpit exited unexpectedly (SIGKILL); restarting in');
    expect(await subjects()).toEqual(['Kept']);
  }, 120_000);
});
