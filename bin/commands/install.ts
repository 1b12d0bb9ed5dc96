import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { ensureEditorBuilt } from '../../services/editor-build.ts';
import { resolveGoBinary, temporalCli, weaviateServer } from '../../services/go-binary.ts';
import { say } from './log.ts';

/** Builds or finds everything `up` and the tests need, so later starts take seconds. */
export function installCommand(): Command {
  return new Command('install')
    .description('fetch and build what is missing: service binaries (Go) and the editor')
    .action(async () => {
      const config = loadConfig();
      for (const tool of [temporalCli, weaviateServer]) {
        const configured = tool === temporalCli ? config.temporal.address : config.weaviate.url;
        if (configured) continue;
        const binary = await resolveGoBinary(config.cacheDir, tool, say);
        say(`${tool.binary} ${tool.version}: ${binary.path} (${binary.from})`);
      }
      await ensureEditorBuilt(say);
      say('installed');
    });
}
