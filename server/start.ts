import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import type { TrellisConfig } from '../services/config.ts';
import { hasLiveToken } from '../store/tokens.ts';
import { sealPlaintextSecrets } from '../store/webhook-source-secrets.ts';
import { buildApp, type AppOptions } from './app.ts';
import { startControlPlane } from './lib/control-upkeep.ts';
import { ensureFirstToken } from './lib/first-token.ts';
import { attachMailIntake, mailIntakeOf } from './lib/mail-intake.ts';
import { installTemplates, loadTemplates } from './lib/templates.ts';

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Refuses to expose the API beyond this machine unless a token exists to protect it. */
export function assertSafeBinding(
  host: string,
  { envToken, tokenExists }: { envToken?: string; tokenExists: boolean },
): void {
  if (isLoopback(host) || envToken?.trim() || tokenExists) return;
  throw new Error(
    `refusing to listen on ${host}: no API token exists. Set TRELLIS_API_TOKEN, or start once on 127.0.0.1 to create one.`,
  );
}

export interface StartedServer {
  app: FastifyInstance;
  url: string;
  /** The first token's plaintext when this start created it (print it once). */
  firstToken?: string;
  installedTemplates: string[];
}

/**
 * Builds, prepares and listens: refuses a non-loopback address unless a token exists or
 * TRELLIS_API_TOKEN is set; creates the first token; seals webhook secrets stored in plaintext;
 * installs templates never installed; seeds the agent registry and starts the corrections sweep (at start, then every ten minutes).
 */
export async function startServer(
  options: AppOptions & { log?: (line: string) => void; mailIntake?: boolean },
): Promise<StartedServer> {
  const { config, env = process.env, log = () => {} } = options;
  const app = await buildApp(options);
  let stopControl = () => {};
  let stopMail = () => Promise.resolve();
  app.addHook('onClose', async () => {
    stopControl();
    await stopMail();
  });
  try {
    await app.ready();
    const db = app.services.db;
    if (!isLoopback(config.host)) {
      assertSafeBinding(config.host, { envToken: env.TRELLIS_API_TOKEN, tokenExists: await hasLiveToken(db) });
    }
    const firstToken = await ensureFirstToken(db, config.dataDir);
    // Secrets stored before they were sealed at rest (migration 0011) are sealed now, before any delivery.
    const sealed = await db.transaction((tx) => sealPlaintextSecrets(tx, app.services.keyring));
    if (sealed > 0) log(`sealed ${sealed} webhook source secret(s) stored in plaintext`);
    let installedTemplates: string[] = [];
    if (env.TRELLIS_INSTALL_TEMPLATES !== 'false') {
      const templates = await loadTemplates();
      if (templates) installedTemplates = (await installTemplates(db, templates, log)).map((w) => w.templateId ?? w.id);
      else log('template gallery not found (workflows/templates): no templates installed');
    }
    const control = await startControlPlane(app, log);
    stopControl = () => control.stop();
    if (options.mailIntake) {
      // The operator's mailboxes (docs/mail.md "Intake"): only the product's server listens, never a test's app.
      const intake = mailIntakeOf(app);
      attachMailIntake(app, intake);
      await intake.start();
      stopMail = () => intake.stop();
    }
    await app.listen({ host: config.host, port: config.port });
    return { app, url: baseUrl(config, app), ...(firstToken ? { firstToken } : {}), installedTemplates };
  } catch (error) {
    await app.close();
    throw error;
  }
}

function baseUrl(config: TrellisConfig, app: FastifyInstance): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
