/**
 * Whether a Content-Security-Policy keeps the editor's page from evaluating strings as code: a
 * script-src (or, without one, default-src) without 'unsafe-eval'. The editor runs under it: its
 * forms' Ajv validators are compiled by the server (server/lib/form-validators.ts), so a page
 * error here would show a path that still evals.
 */
export function policyForbidsEval(policy: string): boolean {
  const scriptSrc = /(?:^|;)\s*script-src([^;]*)/.exec(policy)?.[1];
  const fallback = /(?:^|;)\s*default-src([^;]*)/.exec(policy)?.[1];
  const sources = scriptSrc ?? fallback;
  return sources !== undefined && !sources.includes("'unsafe-eval'");
}
