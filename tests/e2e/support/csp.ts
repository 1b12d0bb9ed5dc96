/**
 * Whether a Content-Security-Policy lets the editor run. The editor validates as you draw with the
 * shared Ajv (schemas/ajv.ts, and rjsf's Ajv validator), which compiles schemas to functions: a
 * script-src (or default-src) without 'unsafe-eval' stops it loading.
 */
export function policyAllowsEditor(policy: string): boolean {
  const scriptSrc = /(?:^|;)\s*script-src([^;]*)/.exec(policy)?.[1];
  const fallback = /(?:^|;)\s*default-src([^;]*)/.exec(policy)?.[1];
  const sources = scriptSrc ?? fallback;
  return sources === undefined || sources.includes("'unsafe-eval'");
}

export const cspFix = "server/plugins/external/security.ts: add 'unsafe-eval' to helmet's script-src";
