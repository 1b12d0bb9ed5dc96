import { sha256Hex } from '../../../lib/sha256.ts';

/** Source version of content: the first 16 hex digits of its SHA-256 (64 bits). */
export function shortHash(bytes: Uint8Array): string {
  return sha256Hex(bytes).slice(0, 16);
}

/** A uri naming content by its hash, for input that carries no identity of its own. */
export function hashUri(bytes: Uint8Array): string {
  return `urn:sha256:${sha256Hex(bytes)}`;
}

/** `Text/HTML; charset="UTF-8"` → `{ mediaType: 'text/html', charset: 'utf-8' }`. */
export function parseContentType(contentType: string | undefined): { mediaType?: string; charset?: string } {
  if (!contentType?.trim()) return {};
  const [type = '', ...parameters] = contentType.split(';');
  const charset = parameters
    .map((parameter) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  return { mediaType: type.trim().toLowerCase(), ...(charset ? { charset: charset.toLowerCase() } : {}) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The bytes as text when they are valid UTF-8 without NUL characters (which mark binary data), else undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return text.includes('\u0000') ? undefined : text;
}

export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}

/** Text in a declared charset (latin1, windows-1252…); UTF-8 is read strictly. Undefined when it cannot be read. */
export function textIn(bytes: Uint8Array, charset: string | undefined): string | undefined {
  if (!charset || ['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) return utf8Text(bytes);
  try {
    const text = new TextDecoder(charset).decode(bytes);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}
