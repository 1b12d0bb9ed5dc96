import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { serviceEnv, startServices } from '../../services/stack.ts';
import { say } from './log.ts';

/** `trellis services`: only Temporal, Weaviate and PostgreSQL, printing the environment to reach them. */
export function servicesCommand(): Command {
  return new Command('services')
    .description('start only the backing services and print their environment')
    .action(async () => {
      const config = loadConfig();
      const stack = await startServices(config, say);
      for (const [name, value] of Object.entries(serviceEnv(stack))) console.log(`export ${name}='${value}'`);
      say('services are up; Ctrl-C stops them');
      const stop = () => void stack.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
