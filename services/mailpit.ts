import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { MailpitConfig } from './config.ts';
import { startProcess, untilReady } from './child-process.ts';
import { mailpitServer, resolveGoBinary, type ResolvedBinary } from './go-binary.ts';
import { assertPortFree } from './ports.ts';
import type { Log, RunningService } from './service.ts';

/** Where mail sent to the local sink goes in, and where a person (or a test) reads it. */
export interface MailpitEndpoint {
  smtpHost: string;
  smtpPort: number;
  /** Its web page; the HTTP API is under `/api/v1`. */
  webUrl: string;
}

/** Asks the HTTP API for its version; undefined while it is not serving. */
export async function mailpitVersion(webUrl: string): Promise<string | undefined> {
  const response = await fetch(`${webUrl}/api/v1/info`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) return undefined;
  const info = (await response.json()) as { Version?: string };
  return info.Version ?? 'unknown';
}

/**
 * The command line: both listeners on loopback only; any SMTP user and password accepted (also
 * without TLS), so an account configured with credentials sends to the sink unchanged; nothing
 * that reaches out (version check, reverse DNS of the client, remote CSS in the viewer).
 */
export function mailpitArgs(host: string, smtpPort: number, webPort: number, databaseFile: string): string[] {
  return [
    '--smtp',
    `${host}:${smtpPort}`,
    '--listen',
    `${host}:${webPort}`,
    '--database',
    databaseFile,
    '--smtp-auth-accept-any',
    '--smtp-auth-allow-insecure',
    '--smtp-disable-rdns',
    '--disable-version-check',
    '--block-remote-css-and-fonts',
    '--quiet',
  ];
}

/** Starts mailpit from a resolved binary and waits until its API answers; `respawn` starts it again the same way. */
export async function launchMailpit(
  binary: ResolvedBinary,
  ports: { smtpPort: number; webPort: number },
  dataDir: string,
  runDir: string,
): Promise<RunningService<MailpitEndpoint>> {
  const host = '127.0.0.1';
  const dbDir = path.join(dataDir, 'mailpit');
  mkdirSync(dbDir, { recursive: true });
  const args = mailpitArgs(host, ports.smtpPort, ports.webPort, path.join(dbDir, 'mailpit.db'));
  const webUrl = `http://${host}:${ports.webPort}`;
  const launch = async () => {
    const child = startProcess({ name: 'mailpit', command: binary.path, args, runDir });
    await untilReady(child, 'mailpit', () => mailpitVersion(webUrl), 30_000);
    return child;
  };
  const child = await launch();
  return {
    name: 'mailpit',
    origin: 'local',
    endpoint: { smtpHost: host, smtpPort: ports.smtpPort, webUrl },
    binary,
    process: child,
    respawn: launch,
    stop: () => child.stop(),
  };
}

/** The local SMTP sink for `trellis up`: built once into the cache like Temporal, data in `<dataDir>/mailpit`. */
export async function startMailpit(
  config: MailpitConfig,
  dataDir: string,
  cacheDir: string,
  log: Log,
): Promise<RunningService<MailpitEndpoint>> {
  const host = '127.0.0.1';
  await assertPortFree(config.smtpPort, host, 'mailpit SMTP, TRELLIS_MAILPIT_SMTP_PORT');
  await assertPortFree(config.webPort, host, 'mailpit web page, TRELLIS_MAILPIT_PORT');
  const binary = await resolveGoBinary(cacheDir, mailpitServer, log);
  return launchMailpit(binary, config, dataDir, path.join(dataDir, 'run'));
}
