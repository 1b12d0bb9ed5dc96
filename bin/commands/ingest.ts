import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiCallError, apiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';

const contentTypes: Record<string, string> = {
  '.eml': 'message/rfc822',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.html': 'text/html',
};

interface Reply {
  eventId: string;
  status: string;
  duplicate: boolean;
  runs: unknown[];
  message?: string;
  bodyDiffers?: unknown;
}

/** A file that was stored but not accepted (422 unreadable, 409 a reused key) is a result of the batch, not its end. */
function storedAnyway(error: unknown): Reply {
  const body = error instanceof ApiCallError ? (error.body as Partial<Reply> | undefined) : undefined;
  if (!body?.eventId || (error as ApiCallError).status === 401) throw error;
  return {
    eventId: body.eventId,
    status: body.status ?? 'rejected',
    duplicate: body.duplicate ?? false,
    runs: body.runs ?? [],
    ...(body.message ? { message: body.message } : {}),
    ...(body.bodyDiffers ? { bodyDiffers: body.bodyDiffers } : {}),
  };
}

/** `trellis ingest <file.eml…> --source <name>`: the operator's own delivery (token, no signature). */
export function ingestCommand(): Command {
  return new Command('ingest')
    .description('ingest files (emails, JSON, documents) through a source, as if they had arrived')
    .argument('<files...>', 'files: .eml, .json, .pdf, .md, .txt')
    .requiredOption('-s, --source <name>', 'webhook source (its kind decides how the file is read) or mail account')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: { source: string; json?: boolean }) => {
      const api = apiClient();
      const bar = progress(files.length, options.json === true || files.length < 2);
      const results: {
        file: string;
        eventId: string;
        status: string;
        duplicate: boolean;
        runs: number;
        reason?: string;
      }[] = [];
      for (const [index, file] of files.entries()) {
        const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        const reply = await api
          .send<Reply>('POST', `/ingest/${encodeURIComponent(options.source)}`, readFileSync(file), type)
          .catch(storedAnyway);
        results.push({
          file,
          eventId: reply.eventId,
          status: reply.bodyDiffers ? 'body differs' : reply.status,
          duplicate: reply.duplicate,
          runs: reply.runs.length,
          ...(reply.message ? { reason: reply.message } : {}),
        });
        bar.update(index + 1, path.basename(file));
      }
      bar.stop();
      if (options.json) printJson(results);
      else printTable(results, ['file', 'eventId', 'status', 'duplicate', 'runs', 'reason']);
    });
}
