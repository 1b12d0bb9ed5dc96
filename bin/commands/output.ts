import cliProgress from 'cli-progress';

/** JSON for scripts (stdout, nothing else on it), or a table for people. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    console.log('(none)');
    return;
  }
  const text = (value: unknown): string =>
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => text(row[column]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((column) => text(row[column]))));
}

export interface Progress {
  update(value: number, label?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

/** A progress bar on stderr for people; silent with --json or when stderr is not a terminal. */
export function progress(total: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, setTotal: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: '  {bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (value, label = '') => bar.update(value, { label }),
    setTotal: (value) => bar.setTotal(value),
    stop: () => bar.stop(),
  };
}
