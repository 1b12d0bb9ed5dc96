import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { cliTokenPath } from '../../server/lib/first-token.ts';
import { startServer } from '../../server/start.ts';
import { say } from './log.ts';

/** Runs the HTTP API and the editor (started by `trellis up`; run alone to scale out). */
export function serverCommand(): Command {
  return new Command('server')
    .description('run the HTTP API and editor against configured services')
    .action(async () => {
      const config = loadConfig();
      const { app, url, firstToken, installedTemplates } = await startServer({
        config,
        logger: true,
        log: say,
        mailIntake: process.env.TRELLIS_MAIL_INTAKE !== 'false',
      });
      if (installedTemplates.length > 0) say(`installed templates: ${installedTemplates.join(', ')}`);
      if (firstToken) {
        // The plaintext goes to a terminal only; a log file gets where to find it.
        if (process.stderr.isTTY) say(`first API token (shown once): ${firstToken}`);
        say(`the first API token is in ${cliTokenPath(config.dataDir)} (mode 0600)`);
      }
      say(`server listening on ${url}`);
      const close = () => void app.close().then(() => process.exit(0));
      process.once('SIGTERM', close);
      process.once('SIGINT', close);
    });
}
