// The API's bearer token lives in localStorage: pasted once by the operator, injected by e2e tests.
const KEY = 'trellis.token';
const listeners = new Set<() => void>();

export function readToken(): string | undefined {
  return localStorage.getItem(KEY) ?? undefined;
}

export function saveToken(token: string | undefined): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: the token prompt re-renders when the token changes or is refused. */
export function subscribeToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
