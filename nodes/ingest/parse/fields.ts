// Reading well-known fields out of JSON bodies that were not designed for Trellis.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const timeFields = ['occurred_at', 'occurredAt', 'created_at', 'createdAt', 'created', 'timestamp', 'time', 'date'];

/** The time a body says it happened: an ISO string, or Unix seconds or milliseconds. */
export function declaredTime(body: JsonObject): string | undefined {
  for (const field of timeFields) {
    const value = body[field];
    let date: Date | undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
      date = new Date(value < 1e11 ? value * 1000 : value);
    } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
      date = new Date(value);
    }
    if (date && !Number.isNaN(date.getTime())) return date.toISOString();
  }
  return undefined;
}

/** The body's own id for itself (a delivery or event id), which makes redeliveries recognisable. */
export function declaredId(body: JsonObject, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = body[field];
    if ((typeof value === 'string' && value.trim()) || (typeof value === 'number' && Number.isFinite(value)))
      return String(value).trim();
  }
  return undefined;
}

/** The first non-empty string among the fields. */
export function firstText(body: JsonObject, fields: readonly string[]): { field: string; text: string } | undefined {
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string' && value.trim()) return { field, text: value };
  }
  return undefined;
}

/** A source name or id as one uri path segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
