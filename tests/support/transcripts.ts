import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Transcript } from '../../schemas/transcript.ts';
import { transcriptSchema } from '../../schemas/transcript.ts';
import { validatorFor } from '../../schemas/ajv.ts';

export const transcriptsDir = path.resolve(import.meta.dirname, '../fixtures/transcripts');

export function transcriptFixture(name: string): string {
  return readFileSync(path.join(transcriptsDir, name), 'utf8');
}

/** The invariants every parsed transcript keeps: valid against its schema, spans on the words, ids in order. */
export function expectWellFormed(transcript: Transcript): void {
  const validate = validatorFor(transcriptSchema);
  expect(validate(transcript), JSON.stringify(validate.errors)).toBe(true);
  transcript.turns.forEach((turn, index) => {
    expect(turn.id).toBe(`t${index + 1}`);
    expect(transcript.text.slice(turn.span.start, turn.span.end)).toBe(turn.text);
    if (turn.speaker !== undefined)
      expect(transcript.text.slice(0, turn.span.start)).toMatch(
        new RegExp(`${turn.speaker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: $`),
      );
  });
}

/** `Speaker: text` per turn, short enough to compare whole transcripts in a test. */
export function turnsOf(transcript: Transcript): string[] {
  return transcript.turns.map((turn) => `${turn.speaker ?? '?'}@${turn.startMs ?? '-'}: ${turn.text}`);
}
