import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

export const transcriptFormats = ['webvtt', 'srt', 'zoom', 'meet', 'teams', 'otter', 'pasted'] as const;
export type TranscriptFormat = (typeof transcriptFormats)[number];

/** Character offsets into the transcript's normalised `text`. */
const span = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
} as const;

/**
 * A meeting transcript read from any of the supported formats (transcripts/): who spoke when
 * and what they said, one turn per run of one speaker. `text` is the normalised transcript
 * (`Speaker: words` paragraphs); each turn's `span` points at its words in it.
 */
export const transcriptSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/transcript.json`,
  title: 'Transcript',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'participants', 'turns', 'text'],
  properties: {
    format: { enum: transcriptFormats },
    title: { type: 'string', maxLength: 500, description: 'The meeting title, when the file names it.' },
    meetingAt: {
      type: 'string',
      format: 'date-time',
      description: 'When the meeting took place, when the file itself says so.',
    },
    participants: {
      type: 'array',
      description: 'Names of speakers and listed attendees, in order of first appearance.',
      items: { type: 'string', minLength: 1, maxLength: 200 },
    },
    turns: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'text', 'span'],
        properties: {
          id: { type: 'string', pattern: '^t[0-9]+$', description: 't1, t2…: stable for one version of the source.' },
          speaker: { type: 'string', minLength: 1, maxLength: 200, description: 'Absent when the file names nobody.' },
          startMs: { type: 'integer', minimum: 0 },
          endMs: { type: 'integer', minimum: 0 },
          text: { type: 'string' },
          span,
        },
      },
    },
    text: { type: 'string' },
  },
} as const;

export type Transcript = FromSchema<typeof transcriptSchema>;
export type TranscriptTurn = Transcript['turns'][number];
