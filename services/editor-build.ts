import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Log } from './service.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const editor = path.join(root, 'editor');

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target)
    .filter((name) => name !== 'dist' && name !== 'node_modules')
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

/** Builds the editor with Vite when its sources (or the shared code it imports) are newer than the build. */
export async function ensureEditorBuilt(log: Log): Promise<void> {
  const built = path.join(editor, 'dist', 'index.html');
  const sources = ['editor', 'schemas', 'workflows'].map((dir) => path.join(root, dir)).filter(existsSync);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  log('building the editor (vite)');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(
    process.execPath,
    [vite, 'build', '--config', path.join(editor, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`editor build failed (vite exited ${code})`);
}
