/** One line of progress for the operator, on stderr so `--json` output stays clean. */
export function say(line: string): void {
  process.stderr.write(`trellis: ${line}\n`);
}
