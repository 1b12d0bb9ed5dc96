import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { ingestRaw } from '../../../nodes/ingest/ingest.ts';
import { getProject } from '../../../store/projects.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { dispatchContextOf, dispatchEvent } from '../../lib/event-routing.ts';
import { FILE_LIMIT } from '../../lib/ingest-gate.ts';

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const field = (fields: Record<string, unknown>, name: string): string | undefined => {
  const entry = fields[name] as { type?: string; value?: unknown } | undefined;
  return entry?.type === 'field' && typeof entry.value === 'string' && entry.value.trim()
    ? entry.value.trim()
    : undefined;
};

/**
 * POST /api/documents: an operator's upload (multipart `file`, optional `uri`, `version`,
 * `projectId`, `source`, `kind` — `transcript` for a meeting transcript, the default for .vtt/.srt
 * files — and `meetingAt`), stored as a document (or meeting.transcript) event and dispatched like an ingested one
 * (server/lib/event-routing.ts) as coming from `source` (default `upload`).
 */
export const documentRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: FILE_LIMIT, files: 1, fields: 12, fieldSize: 4096 } });

  app.post(
    '/',
    {
      schema: {
        tags: ['ingest'],
        consumes: ['multipart/form-data'],
        description: 'Upload one document (field `file`).',
      },
    },
    async (request, reply) => {
      const file = await request.file();
      if (!file) throw badRequest('a multipart field "file" is required', '/file');
      const bytes = await file.toBuffer();
      if (file.file.truncated) throw badRequest(`the file is larger than ${FILE_LIMIT} bytes`, '/file');
      const fields = file.fields as Record<string, unknown>;
      const projectId = field(fields, 'projectId');
      if (projectId && !(await getProject(app.services.db, projectId))) throw notFound('project', '/projectId');
      const source = field(fields, 'source') ?? 'upload';
      const uri = field(fields, 'uri') ?? `upload://${file.filename}`;
      const version = field(fields, 'version');
      const kind = field(fields, 'kind');
      if (kind !== undefined && kind !== 'document' && kind !== 'transcript') {
        throw badRequest(`kind is '${kind}'; it may be 'document' or 'transcript'`, '/kind');
      }
      const meetingAt = field(fields, 'meetingAt');
      if (meetingAt !== undefined && !isoDateTime.test(meetingAt)) {
        throw badRequest(`meetingAt '${meetingAt}' is not an ISO date-time`, '/meetingAt');
      }
      const readAs = kind ?? (/\.(?:vtt|srt)$/i.test(file.filename) ? 'transcript' : 'document');
      const recorded = await ingestRaw(
        app.services.db,
        readAs,
        {
          content: bytes.toString('base64'),
          encoding: 'base64',
          contentType: file.mimetype,
          uri,
          ...(version ? { version } : {}),
          ...(meetingAt ? { meetingAt } : {}),
        },
        { sourceName: source, ...(projectId ? { projectId } : {}) },
      );
      const dispatched = await dispatchEvent(dispatchContextOf(app), source, recorded);
      return reply.code(202).send({
        eventId: recorded.event.id,
        status: recorded.event.status,
        duplicate: recorded.duplicate,
        ...dispatched,
      });
    },
  );
};
