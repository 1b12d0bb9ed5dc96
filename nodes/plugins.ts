import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NodeDefinition } from './sdk/define-node.ts';
import { NodeDefinitionError, type NodeRegistry } from './sdk/registry.ts';

export interface PluginSources {
  /** A folder whose files (or subfolders with index) each export node definitions. */
  dir?: string;
  /** npm package names that export node definitions. */
  packages?: string[];
}

export interface PluginReport {
  loaded: string[];
  refused: { source: string; reason: string }[];
}

/** Reads TRELLIS_PLUGIN_DIR and TRELLIS_PLUGIN_PACKAGES (comma-separated). */
export function pluginSourcesFromEnv(env: NodeJS.ProcessEnv = process.env): PluginSources {
  const packages = (env.TRELLIS_PLUGIN_PACKAGES ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return { ...(env.TRELLIS_PLUGIN_DIR ? { dir: env.TRELLIS_PLUGIN_DIR } : {}), packages };
}

/** A module may export `default` (one node or a list), `nodes` (a list), or named definitions. */
function definitionsOf(module: Record<string, unknown>): unknown[] {
  const candidates = module.nodes ?? module.default;
  if (Array.isArray(candidates)) return candidates;
  if (candidates && typeof candidates === 'object') return [candidates];
  return Object.values(module).filter(
    (value) => value && typeof value === 'object' && 'type' in value && 'version' in value,
  );
}

function pluginFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        const index = ['index.ts', 'index.js', 'index.mjs'].map((file) => path.join(full, file)).find(existsSync);
        return index ? [index] : [];
      }
      return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') && !name.includes('.test.') ? [full] : [];
    });
}

/**
 * Loads third-party nodes. A plugin that fails to import or whose definitions do not
 * validate is refused with its reasons; it never stops the worker or the server.
 */
export async function loadPlugins(registry: NodeRegistry, sources: PluginSources): Promise<PluginReport> {
  const report: PluginReport = { loaded: [], refused: [] };
  const modules = [
    ...(sources.dir
      ? pluginFiles(sources.dir).map((file) => ({ source: file, specifier: pathToFileURL(file).href }))
      : []),
    ...(sources.packages ?? []).map((name) => ({ source: `npm:${name}`, specifier: name })),
  ];
  for (const { source, specifier } of modules) {
    let module: Record<string, unknown>;
    try {
      module = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      report.refused.push({ source, reason: `cannot be imported: ${(error as Error).message}` });
      continue;
    }
    const definitions = definitionsOf(module);
    if (definitions.length === 0) report.refused.push({ source, reason: 'exports no node definitions' });
    for (const definition of definitions) {
      try {
        registry.register(definition as NodeDefinition, `plugin ${source}`);
        const { type, version } = definition as NodeDefinition;
        report.loaded.push(`${type}@${version}`);
      } catch (error) {
        const reason = error instanceof NodeDefinitionError ? error.reasons.join('; ') : (error as Error).message;
        report.refused.push({ source, reason });
      }
    }
  }
  return report;
}
