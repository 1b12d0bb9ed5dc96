import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the last build of a tool took, kept in the cache to estimate the next one (another version, say). */
export interface BuildRecord {
  version: string;
  seconds: number;
  packagesCompiled: number;
  goVersion: string;
  cpus: number;
  finishedAt: string;
}

export function buildRecordPath(cacheDir: string, binary: string): string {
  return path.join(cacheDir, 'go-bin', `${binary}.last-build.json`);
}

export function readBuildRecord(cacheDir: string, binary: string): BuildRecord | undefined {
  const file = buildRecordPath(cacheDir, binary);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

export function writeBuildRecord(cacheDir: string, binary: string, record: BuildRecord): void {
  writeFileSync(buildRecordPath(cacheDir, binary), `${JSON.stringify(record, null, 2)}\n`);
}

/** A duration the way the progress lines say it: seconds under a minute and a half, else minutes. */
export function minutes(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  return `${Math.round(seconds / 60)} min`;
}

/**
 * Progress of `go install -v`, which prints each package's import path as it compiles it: the count
 * against the package count of the tool's dependency graph gives the share done. Packages differ in
 * size and the link comes last, so the time left is an estimate: from the compile rate once a tenth is
 * done, before that from the expected total (the last build's time, or the tool's rough figure).
 */
export class GoBuildProgress {
  downloads = 0;
  compiled = 0;
  private readonly totalPackages: number;
  private readonly expectedSeconds: number;

  constructor(totalPackages: number, expectedSeconds: number) {
    this.totalPackages = totalPackages;
    this.expectedSeconds = expectedSeconds;
  }

  /** One line of go's output: a download, a compiled package, or something else (errors, kept by the caller). */
  line(text: string): void {
    if (text.startsWith('go: downloading ')) this.downloads += 1;
    else if (/^[\w.~-]+(\/[\w.~+-]+)*$/.test(text.trim())) this.compiled += 1;
  }

  /** The share compiled (0–100) and the estimated seconds left, as describe() says them. */
  estimate(elapsedSeconds: number): { percent: number; leftSeconds: number } {
    const share = Math.min(1, this.compiled / this.totalPackages);
    const byRate = share > 0 ? (elapsedSeconds / share) * (1 - share) : Infinity;
    const leftSeconds =
      share >= 0.1 || (share > 0 && elapsedSeconds >= this.expectedSeconds)
        ? byRate
        : Math.max(0, this.expectedSeconds - elapsedSeconds);
    return { percent: Math.floor(share * 100), leftSeconds };
  }

  describe(elapsedSeconds: number): string {
    const elapsed = minutes(elapsedSeconds);
    if (this.compiled === 0) {
      const left = minutes(this.expectedSeconds - elapsedSeconds);
      return this.downloads > 0
        ? `${elapsed}, ${this.downloads} modules downloaded, about ${left} left`
        : `${elapsed}, preparing, about ${left} left`;
    }
    if (this.compiled >= this.totalPackages) return `${elapsed}, ${this.compiled} packages compiled, linking`;
    const share = this.compiled / this.totalPackages;
    const byRate = (elapsedSeconds / share) * (1 - share);
    const leftSeconds =
      share >= 0.1 || elapsedSeconds >= this.expectedSeconds ? byRate : this.expectedSeconds - elapsedSeconds;
    return (
      `${elapsed}, compiled ${this.compiled} of ~${this.totalPackages} packages (${Math.floor(share * 100)} %), ` +
      `about ${minutes(leftSeconds)} left`
    );
  }
}
