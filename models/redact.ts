/** Replaces every occurrence of each secret with `[redacted]`; secrets shorter than 4 characters are ignored. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const present = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
  if (present.length === 0) return (text) => text;
  // Longest first, so a key that contains another is replaced whole.
  present.sort((a, b) => b.length - a.length);
  return (text) => present.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

/** A base URL without user info, safe to show; the password (if any) is returned for redaction. */
export function splitCredentials(baseUrl: string): { url: string; password: string | undefined } {
  const parsed = new URL(baseUrl);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/+$/, ''), password };
}
