// The editor's sign-in. The operator's token goes once to POST /api/session, which answers with
// an httpOnly, SameSite=Strict cookie that scripts cannot read; the page keeps no token, so a
// script injected into it could not carry one away. The server also refuses the cookie on
// state-changing requests from other origins (docs/API.md, Browser session).

export type SessionState = 'checking' | 'signed-out' | 'signed-in';

/** Where earlier versions kept the token; moved into a session once, then removed. */
const LEGACY_TOKEN_KEY = 'trellis.token';

let state: SessionState = 'checking';
let scopes: string[] = [];
const listeners = new Set<() => void>();

function set(next: SessionState, nextScopes: string[] = []): void {
  state = next;
  scopes = nextScopes;
  for (const listener of listeners) listener();
}

export const sessionState = (): SessionState => state;
/** The signed-in token's scopes (read, act, admin). */
export const sessionScopes = (): readonly string[] => scopes;

/** For useSyncExternalStore: the sign-in prompt re-renders when the session starts or ends. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The server refused the cookie (expired, signed out elsewhere, token revoked): ask again. */
export function markSignedOut(): void {
  if (state !== 'signed-out') set('signed-out');
}

async function messageOf(response: Response): Promise<string> {
  try {
    return ((await response.json()) as { message?: string }).message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** Opens a session with a token; resolves with the server's reason when it refuses. */
export async function signIn(token: string): Promise<string | undefined> {
  const response = await fetch('/api/session', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) return messageOf(response);
  set('signed-in', ((await response.json()) as { scopes: string[] }).scopes);
  return undefined;
}

export async function signOut(): Promise<void> {
  await fetch('/api/session', { method: 'DELETE' });
  set('signed-out');
}

/** At start: is there a live session cookie? A token left in localStorage by an older editor becomes one. */
export async function checkSession(): Promise<void> {
  const legacy = localStorage.getItem(LEGACY_TOKEN_KEY);
  if (legacy) {
    localStorage.removeItem(LEGACY_TOKEN_KEY);
    if ((await signIn(legacy)) === undefined) return;
  }
  const response = await fetch('/api/session', { headers: { accept: 'application/json' } });
  if (response.ok) set('signed-in', ((await response.json()) as { scopes: string[] }).scopes);
  else set('signed-out');
}
