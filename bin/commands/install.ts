import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { ensureEditorBuilt } from '../../services/editor-build.ts';
import { mailpitServer, resolveGoBinary, temporalCli, weaviateServer, type GoTool } from '../../services/go-binary.ts';
import { say } from './log.ts';

/** Builds or finds everything `up` and the tests need, so later starts take seconds. */
export function installCommand(): Command {
  return new Command('install')
    .description('fetch and build what is missing: service binaries (Go) and the editor')
    .action(async () => {
      const config = loadConfig();
      // mailpit is built even when the sink is off for `up`: the mail tests start their own.
      const needed: GoTool[] = [
        ...(config.temporal.address ? [] : [temporalCli]),
        ...(config.weaviate.url ? [] : [weaviateServer]),
        mailpitServer,
      ];
      // Side by side, as `up` does: the small mailpit build hides behind the two large ones.
      await Promise.all(
        needed.map(async (tool) => {
          const binary = await resolveGoBinary(config.cacheDir, tool, say);
          say(`${tool.binary} ${tool.version}: ${binary.path} (${binary.from})`);
        }),
      );
      await ensureEditorBuilt(say);
      say('installed');
    });
}
