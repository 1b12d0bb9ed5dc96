/** Input that cannot be read as a transcript: the message names the line and what is wrong with it. */
export class TranscriptError extends Error {
  /** 1-based line of the input, when one line is at fault. */
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'TranscriptError';
    this.line = line;
  }
}
