import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../transcripts/detect.ts';
import { TranscriptError } from '../../transcripts/errors.ts';
import { parseTranscript } from '../../transcripts/parse.ts';
import { expectWellFormed, transcriptFixture, transcriptsDir } from '../support/transcripts.ts';

// Whatever arrives, the readers answer with a well-formed transcript or a TranscriptError, never
// another exception, and in time: mutated fixtures (lines dropped, swapped, cut, CRLF, a BOM).

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, next: () => number): string {
  let lines = text.split('\n');
  const pick = () => Math.floor(next() * lines.length);
  for (let step = 0; step < 4; step++) {
    const kind = Math.floor(next() * 5);
    const at = pick();
    if (kind === 0) lines.splice(at, 1);
    else if (kind === 1) [lines[at], lines[pick()]] = [lines[pick()] ?? '', lines[at] ?? ''];
    else if (kind === 2) lines[at] = (lines[at] ?? '').slice(0, Math.floor(next() * 12));
    else if (kind === 3) lines = lines.map((line) => `${line}\r`);
    else lines[0] = `\uFEFF${lines[0] ?? ''}`;
  }
  return lines.join('\n');
}

describe('transcript readers on damaged input', () => {
  it('answer a transcript or a TranscriptError for 600 mutated fixtures', () => {
    const next = random(20261208);
    const files = readdirSync(transcriptsDir);
    let parsed = 0;
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      const input = mutate(transcriptFixture(files[round % files.length]!), next);
      try {
        expectWellFormed(parseTranscript(input));
        parsed++;
      } catch (error) {
        if (!(error instanceof TranscriptError))
          throw new Error(`round ${round}: ${String(error)}\n${input}`, { cause: error });
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });

  it('reads a 2 MB pasted transcript and a line of 1 MB without a name quickly', () => {
    const long = Array.from({ length: 40_000 }, (_, i) => `${i % 2 ? 'Ana' : 'Ben Okafor'}: line ${i} of the meeting.`);
    const started = performance.now();
    const transcript = parseTranscript(long.join('\n'));
    expect(transcript.turns).toHaveLength(40_000);
    expect(detectFormat(`Ana: ${'x'.repeat(1_000_000)}\n`).format).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads `[00:01:02] Name: text` lines as Zoom lines', () => {
    const transcript = parseTranscript('[00:00:05] Ana: Hello.\n[00:00:09] Ben Okafor: Hi Ana.\n');
    expect(transcript).toMatchObject({ format: 'zoom', participants: ['Ana', 'Ben Okafor'] });
    expect(transcript.turns.map((turn) => turn.startMs)).toEqual([5000, 9000]);
  });
});
