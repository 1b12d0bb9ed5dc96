import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { migrate } from '../../store/migrate.ts';
import { say } from './log.ts';

/**
 * `trellis migrate`: applies pending migrations to the PostgreSQL at DATABASE_URL and exits. For a
 * scaled-out installation, whose servers and workers start no services (and so migrate nothing);
 * `trellis up` and `trellis services` migrate on their own. Safe to run from several machines at
 * once: node-pg-migrate holds an advisory lock while it runs.
 */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending database migrations to DATABASE_URL and exit')
    .action(async () => {
      const { postgres } = loadConfig();
      if (!postgres.url) {
        say('DATABASE_URL is not set: `trellis up` migrates its embedded database itself');
        process.exitCode = 2;
        return;
      }
      const ran = await migrate(postgres.url, say);
      say(ran.length > 0 ? `applied migrations: ${ran.join(', ')}` : 'the database is up to date');
    });
}
