import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { extractEmail } from '../../extraction/extract.ts';
import { loadModels } from '../../extraction/models/load.ts';
import { emailInputFromRaw } from '../../nodes/extract/eml.ts';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { modelsCommand, retrainCommand } from './extract-models.ts';
import { printJson } from './output.ts';

async function readAll(file: string): Promise<Buffer> {
  if (file !== '-') return readFileSync(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function summary(result: ExtractionResult): string {
  const lines = [
    `intent   ${result.intent.label}${result.intent.kind !== result.intent.label ? ` (${result.intent.kind})` : ''}, ${result.intent.confidence.toFixed(2)}${result.intent.reasons.length ? ` — ${result.intent.reasons.join('; ')}` : ''}`,
    `client   ${result.client ? `${result.client.name}, ${result.client.confidence.toFixed(2)} — ${result.client.evidence.map((e) => e.source).join(', ')}` : 'none'}`,
    `dates    ${result.dates.map((d) => `${d.date}${d.time ? ` ${d.time}` : ''} ${d.role} "${d.text}"`).join('; ') || 'none'}`,
    `amounts  ${result.amounts.map((a) => `${a.value} ${a.currency} ${a.role} "${a.text}"`).join('; ') || 'none'}`,
    `actions  ${result.actions.length === 0 ? 'none' : ''}`,
    ...result.actions.map((a) => `  - ${a.text}${a.due ? ` (due ${a.due})` : ''}`),
    ...(result.commitments.length > 0 ? ['they will', ...result.commitments.map((c) => `  - ${c.text}`)] : []),
    `route    ${result.route} (${result.confidence.toFixed(2)}) — ${result.reasons.join('; ')}`,
  ];
  return lines.join('\n');
}

/**
 * `trellis extract FILE.eml|- [--json] [--now ISO]`: the extract node's reading of one email,
 * offline; `trellis extract retrain|models` talk to the server about the retrained intent model.
 */
export function extractCommand(): Command {
  return new Command('extract')
    .addCommand(retrainCommand())
    .addCommand(modelsCommand())
    .description(
      'read one email as the extract node does (offline, no services): intent, client, dates, amounts, actions',
    )
    .argument('<file>', 'an RFC 822 message (.eml), or - for standard input')
    .option('--json', 'print the result as JSON (schemas/extraction-result.ts)')
    .option('--now <iso>', 'when the message counts as received (for a message without a Date header)')
    .action(async (file: string, options: { json?: boolean; now?: string }) => {
      if (options.now !== undefined && Number.isNaN(Date.parse(options.now)))
        throw new Error(`--now must be an ISO 8601 time, got "${options.now}"`);
      const input = await emailInputFromRaw(await readAll(file), {
        ...(options.now ? { receivedAt: new Date(options.now).toISOString() } : {}),
        trustDateHeader: options.now === undefined,
      });
      const result = extractEmail(input, { models: loadModels() });
      if (options.json) printJson(result);
      else console.log(summary(result));
    });
}
