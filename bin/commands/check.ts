import { Command } from 'commander';
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function runScript(script: string): Promise<number> {
  const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/** typecheck, lint and format:check, the static half of CI. */
export function checkCommand(): Command {
  return new Command('check').description('typecheck, lint and check formatting').action(async () => {
    for (const script of ['typecheck', 'lint', 'format:check']) {
      const code = await runScript(script);
      if (code !== 0) {
        process.exitCode = code;
        throw new Error(`npm run ${script} failed`);
      }
    }
  });
}
