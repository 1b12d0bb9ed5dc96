import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { GoBuildProgress, minutes, readBuildRecord, writeBuildRecord } from './go-build-progress.ts';

export interface GoTool {
  /** The executable's name, as `go install` names it. */
  binary: string;
  /** Go package path of its main package. */
  module: string;
  /** Pinned version: builds are reproducible and cached per version. */
  version: string;
  /** Cold build time on 2 cores (both tools build side by side at first start), to tell the user what to expect. */
  coldBuildMinutes: number;
  /** Packages in its dependency graph at this version (`go list -deps <pkg> | wc -l` in the module), for progress. */
  packages: number;
  /** Environment variable that points at a prebuilt binary. */
  overrideEnv: string;
}

export interface ResolvedBinary {
  path: string;
  from: 'env' | 'PATH' | 'cache' | 'built';
}

type Log = (line: string) => void;

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Builds under way in this process, by binary: what `trellis up` reports while the server already answers. */
const builds = new Map<string, () => { percent: number; leftSeconds: number }>();

export function buildUnderWay(binary: string): { percent: number; leftSeconds: number } | undefined {
  return builds.get(binary)?.();
}

/** Whether resolveGoBinary will have to build the tool (no override, not on PATH, not in the cache). */
export function needsBuild(cacheDir: string, tool: GoTool): boolean {
  return (
    !process.env[tool.overrideEnv]?.trim() && !onPath(tool.binary) && !existsSync(cachedBinaryPath(cacheDir, tool))
  );
}

export function findGo(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Where a pinned tool lives in the cache: one folder per version, so upgrades never mix. */
export function cachedBinaryPath(cacheDir: string, tool: GoTool): string {
  return path.join(cacheDir, 'go-bin', `${tool.binary}@${tool.version}`, tool.binary);
}

/**
 * Finds a service binary: the override variable, then PATH, then the cache, and otherwise
 * builds it with `go install` into the cache (minutes on first start; progress is printed).
 */
export async function resolveGoBinary(cacheDir: string, tool: GoTool, log: Log): Promise<ResolvedBinary> {
  const override = process.env[tool.overrideEnv]?.trim();
  if (override) {
    if (!existsSync(override)) throw new Error(`${tool.overrideEnv} points at ${override}, which does not exist`);
    return { path: override, from: 'env' };
  }
  const fromPath = onPath(tool.binary);
  if (fromPath) return { path: fromPath, from: 'PATH' };
  const cached = cachedBinaryPath(cacheDir, tool);
  if (existsSync(cached)) return { path: cached, from: 'cache' };
  await buildWithLock(cacheDir, tool, cached, log);
  return { path: cached, from: 'built' };
}

async function buildWithLock(cacheDir: string, tool: GoTool, target: string, log: Log): Promise<void> {
  const dir = path.dirname(target);
  mkdirSync(dir, { recursive: true });
  // Two processes (say `trellis up` and the tests) must not build the same tool at once.
  const release = await lockfile.lock(dir, {
    lockfilePath: `${dir}.build-lock`,
    stale: 30_000,
    update: 5_000,
    retries: { retries: 200, minTimeout: 3_000, maxTimeout: 3_000 },
  });
  try {
    if (existsSync(target)) return;
    await goInstall(tool, dir, cacheDir, log);
  } finally {
    await release();
  }
}

function goInstall(tool: GoTool, dir: string, cacheDir: string, log: Log): Promise<void> {
  const go = findGo();
  if (!go) {
    throw new Error(
      `${tool.binary} is not on PATH nor in the cache, and Go (>= 1.26) is needed to build it. ` +
        `Install Go, set ${tool.overrideEnv} to a ${tool.binary} binary, or point Trellis at a running service (see the README).`,
    );
  }
  const goVersion = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const staging = path.join(dir, '.staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const target = `${tool.module}@${tool.version}`;
  const cpus = availableParallelism();
  const previous = readBuildRecord(cacheDir, tool.binary);
  // The last build of this tool on this machine is the best guess; else the figure measured on 2 cores.
  const expectedSeconds = previous?.seconds ?? (tool.coldBuildMinutes * 60 * 2) / Math.max(2, Math.min(cpus, 8));
  log(
    `building ${target} with ${goVersion} (${cpus} cores): once, into the cache; expect about ` +
      `${minutes(expectedSeconds)}${previous ? ` (the last build of ${tool.binary} took that long)` : ''}.`,
  );
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // -v prints each package as it is compiled: the progress below counts them.
    const child = spawn(go, ['install', '-v', target], {
      env: { ...process.env, GOBIN: staging },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const progress = new GoBuildProgress(tool.packages, expectedSeconds);
    let lastLines: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        progress.line(line);
        lastLines = [...lastLines.slice(-20), line];
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    builds.set(tool.binary, () => progress.estimate((Date.now() - started) / 1000));
    const ticker = setInterval(() => {
      log(`  ${tool.binary}: ${progress.describe((Date.now() - started) / 1000)}`);
    }, 20_000);
    child.once('exit', (code) => {
      clearInterval(ticker);
      builds.delete(tool.binary);
      if (code === 0) {
        renameSync(path.join(staging, tool.binary), path.join(dir, tool.binary));
        rmSync(staging, { recursive: true, force: true });
        const seconds = Math.round((Date.now() - started) / 1000);
        log(`built ${tool.binary} ${tool.version} in ${seconds} s (${progress.compiled} packages compiled)`);
        writeBuildRecord(cacheDir, tool.binary, {
          version: tool.version,
          seconds,
          packagesCompiled: progress.compiled,
          goVersion,
          cpus,
          finishedAt: new Date().toISOString(),
        });
        resolve();
      } else {
        // Package names are progress, not the error: keep the other lines.
        const errors = lastLines.filter((line) => !/^[\w.~-]+(\/[\w.~+-]+)*$/.test(line.trim()));
        reject(
          new Error(`go install ${target} failed (exit ${code}):\n${(errors.length ? errors : lastLines).join('\n')}`),
        );
      }
    });
  });
}

export const temporalCli: GoTool = {
  binary: 'temporal',
  module: 'github.com/temporalio/cli/cmd/temporal',
  // Newer CLI releases carry a `replace` directive and cannot be built with `go install`.
  version: 'v1.5.1',
  coldBuildMinutes: 12,
  packages: 1298,
  overrideEnv: 'TRELLIS_TEMPORAL_BIN',
};

export const weaviateServer: GoTool = {
  binary: 'weaviate-server',
  module: 'github.com/weaviate/weaviate/cmd/weaviate-server',
  version: 'v1.39.0',
  coldBuildMinutes: 13,
  packages: 1867,
  overrideEnv: 'TRELLIS_WEAVIATE_BIN',
};

export const mailpitServer: GoTool = {
  binary: 'mailpit',
  module: 'github.com/axllent/mailpit',
  version: 'v1.33.1',
  coldBuildMinutes: 4,
  packages: 396,
  overrideEnv: 'TRELLIS_MAILPIT_BIN',
};
