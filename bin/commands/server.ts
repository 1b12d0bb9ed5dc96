import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { buildApp } from '../../server/app.ts';

/** Runs the HTTP API and the editor (started by `trellis up`; run alone to scale out). */
export function serverCommand(): Command {
  return new Command('server')
    .description('run the HTTP API and editor against configured services')
    .action(async () => {
      const config = loadConfig();
      const app = await buildApp({ config, logger: true });
      await app.listen({ host: config.host, port: config.port });
      const close = () => void app.close().then(() => process.exit(0));
      process.once('SIGTERM', close);
      process.once('SIGINT', close);
    });
}
