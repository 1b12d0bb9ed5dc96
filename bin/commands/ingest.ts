import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIDENT, detectFormat } from '../../transcripts/detect.ts';
import { ApiCallError, apiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';

const contentTypes: Record<string, string> = {
  '.eml': 'message/rfc822',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.vtt': 'text/vtt',
  '.srt': 'application/x-subrip',
};

type Kind = 'document' | 'transcript';

/**
 * Whether a file goes in as a meeting transcript: asked for, or a .vtt/.srt file, or a .txt file the
 * detector is confident about (a Zoom, Meet, Teams, Otter or pasted transcript). Undefined: the
 * source's own kind decides.
 */
export function transcriptKind(file: string, bytes: Buffer, asked: Kind | undefined): Kind | undefined {
  if (asked) return asked;
  const extension = path.extname(file).toLowerCase();
  if (extension === '.vtt' || extension === '.srt') return 'transcript';
  if (extension !== '.txt') return undefined;
  return detectFormat(bytes.toString('utf8'), file).confidence >= CONFIDENT ? 'transcript' : undefined;
}

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
    .description('ingest files (emails, JSON, documents, meeting transcripts) through a source, as if they had arrived')
    .argument('<files...>', 'files: .eml, .json, .pdf, .md, .txt, .vtt, .srt')
    .requiredOption('-s, --source <name>', 'webhook source (its kind decides how the file is read) or mail account')
    .option('--kind <kind>', 'document sources: read every file as `transcript` or `document` (default: by file)')
    .option('--meeting-at <iso>', 'transcripts: when the meeting took place (else from the file or its name)')
    .option('--json', 'print JSON')
    .action(async (files: string[], options: { source: string; kind?: string; meetingAt?: string; json?: boolean }) => {
      if (options.kind !== undefined && options.kind !== 'transcript' && options.kind !== 'document') {
        throw new Error(`--kind is '${options.kind}'; it may be 'transcript' or 'document'`);
      }
      const asked: Kind | undefined = options.kind;
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
        const bytes = readFileSync(file);
        const kind = transcriptKind(file, bytes, asked);
        // A transcript keeps its file name as uri: the meeting's date is often in it.
        const query = new URLSearchParams({
          ...(kind ? { kind } : {}),
          ...(kind === 'transcript' ? { uri: path.basename(file) } : {}),
          ...(kind === 'transcript' && options.meetingAt ? { meetingAt: options.meetingAt } : {}),
        }).toString();
        const reply = await api
          .send<Reply>('POST', `/ingest/${encodeURIComponent(options.source)}${query ? `?${query}` : ''}`, bytes, type)
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
