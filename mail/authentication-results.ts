// Reads Authentication-Results header fields (RFC 8601): which server checked the message
// (its authserv-id) and what each method (dmarc, dkim, spf) concluded. Only a field written by a
// receiving server the operator trusts means anything: a sender can write any header it likes,
// and RFC 8601 §5 has the receiving server remove fields that carry its own id before adding its own.

export interface AuthResultsField {
  authservId: string;
  /** Method → result and its properties, e.g. dmarc → { result: 'pass', props: { 'header.from': 'a.com' } }. */
  methods: Map<string, { result: string; props: Record<string, string> }>;
}

/** Comments are parenthesised and may nest (RFC 5322 CFWS). */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

export function parseAuthenticationResults(value: string): AuthResultsField | undefined {
  const [head, ...clauses] = withoutComments(value.replace(/\r?\n[ \t]+/g, ' ')).split(';');
  // The authserv-id may be followed by a version number.
  const authservId = head?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return undefined;
  const methods: AuthResultsField['methods'] = new Map();
  for (const clause of clauses) {
    const tokens = clause.trim().split(/\s+/).filter(Boolean);
    const [first, ...rest] = tokens;
    const match = first?.match(/^([a-z0-9-]+)(?:\/\d+)?=([a-z]+)$/i);
    if (!match) continue;
    const props: Record<string, string> = {};
    for (const token of rest) {
      const pair = token.match(/^([a-z0-9-]+\.[a-z0-9-]+)=(.+)$/i);
      if (pair) props[pair[1]!.toLowerCase()] = pair[2]!.replace(/^"|"$/g, '');
    }
    const method = match[1]!.toLowerCase();
    // The first result of a method wins; a later duplicate does not overwrite it.
    if (!methods.has(method)) methods.set(method, { result: match[2]!.toLowerCase(), props });
  }
  return { authservId, methods };
}

/** The fields among `headerValues` written by one of the trusted servers, in header order. */
export function trustedAuthenticationResults(headerValues: string[], trustedIds: string[]): AuthResultsField[] {
  const trusted = new Set(trustedIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  if (trusted.size === 0) return [];
  return headerValues
    .map(parseAuthenticationResults)
    .filter((field): field is AuthResultsField => field !== undefined && trusted.has(field.authservId));
}
