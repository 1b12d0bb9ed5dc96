import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';

const contentTypes: Record<string, string> = {
  '.eml': 'message/rfc822',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.html': 'text/html',
};

/** `trellis ingest <file.eml…> --source <name>`: the operator's own delivery (token, no signature). */
export function ingestCommand(): Command {
  return new Command('ingest')
    .description('ingest files (emails, JSON, documents) through a source, as if they had arrived')
    .argument('<files...>', 'files: .eml, .json, .pdf, .md, .txt')
    .requiredOption('-s, --source <name>', 'webhook source (its kind decides how the file is read)')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: { source: string; json?: boolean }) => {
      const api = apiClient();
      const bar = progress(files.length, options.json === true || files.length < 2);
      const results: { file: string; eventId: string; status: string; duplicate: boolean; runs: number }[] = [];
      for (const [index, file] of files.entries()) {
        const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        const reply = await api.send<{ eventId: string; status: string; duplicate: boolean; runs: unknown[] }>(
          'POST',
          `/ingest/${encodeURIComponent(options.source)}`,
          readFileSync(file),
          type,
        );
        results.push({
          file,
          eventId: reply.eventId,
          status: reply.status,
          duplicate: reply.duplicate,
          runs: reply.runs.length,
        });
        bar.update(index + 1, path.basename(file));
      }
      bar.stop();
      if (options.json) printJson(results);
      else printTable(results, ['file', 'eventId', 'status', 'duplicate', 'runs']);
    });
}
