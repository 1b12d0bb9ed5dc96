import type { FieldError } from '../../../schemas/ajv.ts';
import { sha256Hex } from '../../../lib/sha256.ts';
import { shortHash, utf8Text } from './bytes.ts';
import { confidenceFor, type Guess } from './confidence.ts';
import { declaredId, declaredTime, firstText, isJsonObject, segment, type JsonObject } from './fields.ts';
import { jsonProblem } from './json-limits.ts';
import { rejectInput } from './rejected.ts';
import type { Parsed, RawContent } from './types.ts';

type Scalar = string | number | boolean | null;
type FieldValue = Scalar | Scalar[];

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const idFields = ['submission_id', 'submissionId', 'id'] as const;
const nameFields = ['name', 'full_name', 'fullName', 'your-name', 'your_name', 'contact_name'] as const;
const emailAddress = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `a=1&tags=x&tags=y` → `{ a: '1', tags: ['x', 'y'] }`. */
function urlencodedFields(text: string): JsonObject {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = fields[key];
    fields[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return fields;
}

/** Forms are flat: every field a scalar or a list of scalars (a multi-select). */
function nestedFields(fields: JsonObject): FieldError[] {
  return Object.entries(fields)
    .filter(([, value]) => !isScalar(value) && !(Array.isArray(value) && value.every(isScalar)))
    .map(([key]) => ({
      pointer: `/content/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      message: 'must be a string, number, boolean or a list of them (form fields are flat)',
    }));
}

function emailOf(fields: Record<string, FieldValue>): string | undefined {
  const candidates = Object.entries(fields)
    .filter(([key]) => /e-?mail/i.test(key))
    .map(([, value]) => value);
  const address = candidates.find((value): value is string => typeof value === 'string' && emailAddress.test(value));
  return address?.trim().toLowerCase();
}

function nameOf(fields: Record<string, FieldValue>): string | undefined {
  const named = firstText(fields, nameFields)?.text;
  if (named) return named.trim();
  const first = firstText(fields, ['first_name', 'firstName', 'first'])?.text;
  const last = firstText(fields, ['last_name', 'lastName', 'last'])?.text;
  return [first, last].filter(Boolean).join(' ').trim() || undefined;
}

function render(value: FieldValue): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value ?? '');
}

/** A form submission (JSON object or urlencoded) as a `form.submitted` event; the fields stay as sent. */
export function parseForm(raw: RawContent): Parsed {
  const mediaType = raw.mediaType;
  if (mediaType && !['application/x-www-form-urlencoded', 'application/json', 'text/plain'].includes(mediaType)) {
    return rejectInput('form', raw, 'wrong content type for a form source', [
      {
        pointer: '/contentType',
        message: `is ${mediaType}; a form source takes application/x-www-form-urlencoded or application/json`,
      },
    ]);
  }
  const text = utf8Text(raw.bytes);
  if (text === undefined) {
    return rejectInput('form', raw, 'not form data', [{ pointer: '/content', message: 'is not UTF-8 text' }]);
  }
  let fields: unknown;
  const asJson =
    mediaType === 'application/json' || (mediaType !== 'application/x-www-form-urlencoded' && /^\s*[{[]/.test(text));
  if (asJson) {
    try {
      fields = JSON.parse(text);
    } catch (error) {
      return rejectInput('form', raw, 'not form data', [
        { pointer: '/content', message: `is not JSON: ${(error as Error).message}` },
      ]);
    }
    if (!isJsonObject(fields)) {
      return rejectInput('form', raw, 'not form data', [
        { pointer: '/content', message: 'must be an object of form fields' },
      ]);
    }
  } else {
    fields = urlencodedFields(text.trim());
  }
  const object = fields as JsonObject;
  const problem = jsonProblem(object);
  if (problem) return rejectInput('form', raw, problem.reason, [problem.error]);
  const nested = nestedFields(object);
  if (nested.length > 0) return rejectInput('form', raw, 'form fields are not flat', nested);
  if (Object.keys(object).length === 0) {
    return rejectInput('form', raw, 'empty form', [{ pointer: '/content', message: 'has no fields' }]);
  }
  const flat = object as Record<string, FieldValue>;

  const source = raw.sourceName ?? 'default';
  const id = declaredId(flat, idFields);
  const uri = `form://${segment(source)}/${id ? segment(id) : `sha256:${sha256Hex(raw.bytes)}`}`;
  const address = emailOf(flat);
  const name = nameOf(flat);
  const guesses: Guess[] = address ? [] : ['actorUnknown'];
  const subject = typeof flat.subject === 'string' ? flat.subject : undefined;

  return {
    identity: uri,
    draft: {
      type: 'form.submitted',
      actor: { kind: 'person', ...(name ? { name } : {}), ...(address ? { address } : {}) },
      source: { kind: 'form', uri, version: shortHash(raw.bytes) },
      // A submission is delivered as it is made: its receipt is its time unless it says otherwise.
      occurredAt: declaredTime(flat) ?? raw.receivedAt,
      confidence: confidenceFor(guesses),
      payload: {
        fields: flat,
        ...(subject ? { subject } : {}),
        text: Object.entries(flat)
          .map(([key, value]) => `${key}: ${render(value)}`)
          .join('\n'),
      },
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        contentType: asJson ? 'application/json' : 'application/x-www-form-urlencoded',
        size: raw.bytes.length,
        guessed: guesses,
      },
    },
  };
}
