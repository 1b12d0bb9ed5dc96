import type { TokenScope } from '../../store/tokens.ts';

// Which scope each /api route needs, in one table (docs/API.md shows it). The rule: reading
// needs `read`, changing anything needs `admin`, and the routes below are the exceptions.
// `act` is for operating what is set up (running, deciding, feeding in work); `admin` for
// changing what is set up (workflows, routing, policies, sources, tokens). A new route that
// changes state is admin until it is listed here, so forgetting it fails closed.

/** Routes whose scope differs from the method's default, by `METHOD /api/route pattern`. */
const exceptions: Record<string, TokenScope> = {
  // Pure checks: nothing is stored.
  'POST /api/workflows/validate': 'read',
  'POST /api/form-validators': 'read',
  // Running and steering runs.
  'POST /api/workflows/:id/runs': 'act',
  'POST /api/runs/:runId/cancel': 'act',
  'POST /api/runs/:runId/replay': 'act',
  'POST /api/runs/:runId/rerun': 'act',
  // The review queue.
  'POST /api/reviews/:taskId/decision': 'act',
  // Saying whether a sent message whose outcome is unknown arrived.
  'POST /api/mail/outbox/:id/resolve': 'act',
  // Feeding in work: ingest by token (a signed request needs no token), uploads, extraction, routing an event.
  'POST /api/ingest/:source': 'act',
  'POST /api/documents': 'act',
  'POST /api/extract': 'act',
  'POST /api/events/:id/route': 'act',
  'POST /api/mail/intake/:id/backfill': 'act',
  // The records work is filed under.
  'POST /api/clients': 'act',
  'POST /api/projects': 'act',
  // Testing a mail connection stores nothing but the account's last known state.
  'POST /api/mail/accounts/:id/test': 'act',
  'POST /api/mail/accounts/test': 'act',
  // Listing an external MCP server's tools starts its command (or calls its URL): like a mail
  // connection test, that is operating what is set up, not just looking.
  'GET /api/mcp-servers/:id/tools': 'act',
  // MCP (docs/mcp.md): reaching it needs only read; each tool is scoped by the /api route it calls.
  'POST /mcp': 'read',
  'DELETE /mcp': 'read',
  // Reading these tells secrets' holders and names: admin only.
  'GET /api/tokens': 'admin',
  'GET /api/webhook-sources': 'admin',
};

const rank: Record<TokenScope, number> = { read: 0, act: 1, admin: 2 };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scope a route needs, by its method and pattern (a prefix's `/` route matches without the slash). */
export function scopeFor(method: string, route: string): TokenScope {
  const verb = method.toUpperCase();
  const listed = exceptions[`${verb} ${route.replace(/(.)\/$/, '$1')}`];
  return listed ?? (safeMethods.has(verb) ? 'read' : 'admin');
}

/** Every listed exception, for the docs and tests. */
export const scopeExceptions: Readonly<Record<string, TokenScope>> = exceptions;

/** Whether tokens holding `held` may do what needs `needed` (the scopes are nested). */
export function grants(held: readonly TokenScope[], needed: TokenScope): boolean {
  return held.some((scope) => rank[scope] >= rank[needed]);
}
