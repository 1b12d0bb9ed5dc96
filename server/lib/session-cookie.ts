import type { FastifyReply, FastifyRequest } from 'fastify';

// The editor's session cookie: httpOnly (scripts cannot read it), SameSite=Strict (other sites'
// pages do not send it), scoped to /api, Secure when served over https. State-changing requests
// authenticated by it must come from this origin too: SameSite treats every port of a host as
// the same site, so another local app could otherwise post with the operator's session.

export const SESSION_COOKIE = 'trellis_session';
/** A session lasts 12 hours from sign-in; then the editor asks for a token again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The session id in the request's Cookie header, if any. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

function cookieAttributes(request: FastifyRequest, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string): void {
  void reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${id}; ${cookieAttributes(request, Math.floor(SESSION_LIFETIME_MS / 1000))}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`);
}

/**
 * Whether a request comes from a page of this server: its Origin names this server's host and
 * port (the Host header it was sent with), or, from a browser that sent no Origin, Sec-Fetch-Site
 * says same-origin. `strict`: a request carrying neither is refused too (every current browser
 * sends one of them on a state-changing fetch).
 */
export function fromThisOrigin(request: FastifyRequest, { strict }: { strict: boolean }): boolean {
  const origin = request.headers.origin;
  // By host (and port) alone: behind a proxy that ends TLS the page is https while this server sees http.
  if (origin !== undefined) return URL.canParse(origin) && new URL(origin).host === request.host;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return !strict;
}
