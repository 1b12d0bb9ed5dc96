// A real SMTP sink for the mail tests: mailpit (the binary `trellis up` runs, built once into the
// cache; the tests' global setup resolves it before any suite starts), started by a suite on free
// loopback ports with its database in a temporary folder, and read back over its HTTP API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCacheDir } from '../../../services/config.ts';
import { mailpitServer, resolveGoBinary } from '../../../services/go-binary.ts';
import { launchMailpit } from '../../../services/mailpit.ts';
import { freePort } from '../../../services/ports.ts';
import type { SmtpSecrets } from '../../../mail/connections.ts';

export interface MailpitAddress {
  Name: string;
  Address: string;
}

/** One message in the list (`GET /api/v1/messages`), newest first. */
export interface MailpitSummary {
  ID: string;
  MessageID: string;
  From: MailpitAddress;
  To: MailpitAddress[];
  Cc: MailpitAddress[] | null;
  Bcc: MailpitAddress[] | null;
  Subject: string;
  Created: string;
  Size: number;
  /** How many attachments it has. */
  Attachments: number;
  Snippet: string;
}

export interface MailpitPart {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
}

/** One message in full (`GET /api/v1/message/{ID}`), with its headers and raw source. */
export interface MailpitMessage {
  ID: string;
  MessageID: string;
  From: MailpitAddress;
  To: MailpitAddress[];
  Cc: MailpitAddress[] | null;
  Bcc: MailpitAddress[] | null;
  ReplyTo: MailpitAddress[] | null;
  Subject: string;
  Date: string;
  Text: string;
  HTML: string;
  Size: number;
  Inline: MailpitPart[];
  Attachments: MailpitPart[];
  /** Every header, by the name as sent, each with all its values. */
  headers: Record<string, string[]>;
  /** The message exactly as it arrived over SMTP. */
  raw: string;
}

export interface MailpitAttachment extends MailpitPart {
  content: Buffer;
}

export interface MailpitSink {
  smtpHost: string;
  smtpPort: number;
  webUrl: string;
  /** Settings for mail/connections.ts `smtpTransport`: plain SMTP on loopback, no credentials. */
  smtp: SmtpSecrets;
  /** Every message it holds, newest first. */
  messages(): Promise<MailpitSummary[]>;
  message(id: string): Promise<MailpitMessage>;
  /** A message's attachments with their bytes. */
  attachments(id: string): Promise<MailpitAttachment[]>;
  /** Waits until it holds at least `count` messages; fails with the subjects it saw. */
  waitForMessages(count: number, timeoutMs?: number): Promise<MailpitSummary[]>;
  deleteAll(): Promise<void>;
  stop(): Promise<void>;
}

async function api(webUrl: string, route: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${webUrl}/api/v1${route}`, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(`mailpit ${init.method ?? 'GET'} ${route}: ${response.status} ${await response.text()}`);
  }
  return response;
}

const json = async <T>(webUrl: string, route: string) => (await (await api(webUrl, route)).json()) as T;

/** Starts a private mailpit for one suite; `stop()` ends it and removes its folder. */
export async function startMailpit(): Promise<MailpitSink> {
  const log = (line: string) => process.stderr.write(`[mailpit] ${line}\n`);
  const binary = await resolveGoBinary(defaultCacheDir(), mailpitServer, log);
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-mailpit-'));
  const ports = { smtpPort: await freePort(), webPort: await freePort() };
  const service = await launchMailpit(binary, ports, dir, path.join(dir, 'run')).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const { smtpHost, smtpPort, webUrl } = service.endpoint;

  const messages = async () => (await json<{ messages: MailpitSummary[] }>(webUrl, '/messages?limit=1000')).messages;

  const message = async (id: string): Promise<MailpitMessage> => {
    const route = `/message/${encodeURIComponent(id)}`;
    const [body, headers, raw] = await Promise.all([
      json<Omit<MailpitMessage, 'headers' | 'raw'>>(webUrl, route),
      json<Record<string, string[]>>(webUrl, `${route}/headers`),
      api(webUrl, `${route}/raw`).then((response) => response.text()),
    ]);
    return { ...body, headers, raw };
  };

  const attachments = async (id: string): Promise<MailpitAttachment[]> => {
    const { Attachments } = await json<{ Attachments: MailpitPart[] }>(webUrl, `/message/${encodeURIComponent(id)}`);
    return Promise.all(
      Attachments.map(async (part) => {
        const response = await api(webUrl, `/message/${encodeURIComponent(id)}/part/${part.PartID}`);
        return { ...part, content: Buffer.from(await response.arrayBuffer()) };
      }),
    );
  };

  const waitForMessages = async (count: number, timeoutMs = 10_000): Promise<MailpitSummary[]> => {
    const deadline = Date.now() + timeoutMs;
    let seen: MailpitSummary[] = [];
    while (Date.now() < deadline) {
      seen = await messages();
      if (seen.length >= count) return seen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const subjects = seen.map((summary) => `"${summary.Subject}" to ${summary.To.map((to) => to.Address).join(', ')}`);
    throw new Error(
      `mailpit held ${seen.length} of ${count} expected messages after ${timeoutMs} ms` +
        (subjects.length ? `: ${subjects.join('; ')}` : ''),
    );
  };

  return {
    smtpHost,
    smtpPort,
    webUrl,
    smtp: { host: smtpHost, port: smtpPort, security: 'none' },
    messages,
    message,
    attachments,
    waitForMessages,
    deleteAll: async () => {
      await api(webUrl, '/messages', { method: 'DELETE' });
    },
    stop: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
