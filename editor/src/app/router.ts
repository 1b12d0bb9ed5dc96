// A small client router over the History API; the server answers every non-API path with index.html.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, { replace = false } = {}): void {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, snapshot);
  const [path = '/', search = ''] = location.split('?');
  return { path, search: new URLSearchParams(search) };
}

export type Route =
  | { page: 'workflows' }
  | { page: 'editor'; workflowId: string }
  | { page: 'templates' }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'reviews' }
  | { page: 'metrics' }
  | { page: 'services' }
  | { page: 'control'; section: ControlSection }
  | { page: 'canary'; reportId: string }
  | { page: 'mail-settings' }
  | { page: 'mcp-settings' }
  | { page: 'not-found' };

/** The parts of the control plane page, each at its own address. */
export const controlSections = ['routing', 'suggestions', 'routings', 'agents', 'canaries', 'advisor'] as const;
export type ControlSection = (typeof controlSections)[number];

const isControlSection = (value: string | undefined): value is ControlSection =>
  (controlSections as readonly (string | undefined)[]).includes(value);

/** A path part as written, or undefined when its percent-encoding is broken (`%E0%A4%A`). */
function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decoded);
  if (parts.includes(undefined)) return { page: 'not-found' };
  const [first, second, third] = parts;
  if (parts.length === 0) return { page: 'workflows' };
  if (first === 'workflows' && parts.length === 1) return { page: 'workflows' };
  if (first === 'workflows' && second && parts.length === 2) return { page: 'editor', workflowId: second };
  if (first === 'runs' && parts.length === 1) return { page: 'runs' };
  if (first === 'runs' && second && parts.length === 2) return { page: 'run', runId: second };
  if (first === 'control' && parts.length === 1) return { page: 'control', section: 'routing' };
  if (first === 'control' && parts.length === 2 && isControlSection(second))
    return { page: 'control', section: second };
  if (first === 'control' && second === 'canaries' && third && parts.length === 3)
    return { page: 'canary', reportId: third };
  if (first === 'settings' && second === 'mail' && parts.length === 2) return { page: 'mail-settings' };
  if (first === 'settings' && second === 'mcp' && parts.length === 2) return { page: 'mcp-settings' };
  if (
    parts.length === 1 &&
    (first === 'templates' || first === 'reviews' || first === 'metrics' || first === 'services')
  )
    return { page: first };
  return { page: 'not-found' };
}

export const paths = {
  workflows: '/workflows',
  editor: (id: string) => `/workflows/${encodeURIComponent(id)}`,
  templates: '/templates',
  runs: (workflowId?: string) => (workflowId ? `/runs?workflowId=${encodeURIComponent(workflowId)}` : '/runs'),
  run: (runId: string) => `/runs/${encodeURIComponent(runId)}`,
  reviews: '/reviews',
  metrics: '/metrics',
  services: '/services',
  mailSettings: '/settings/mail',
  mcpSettings: '/settings/mcp',
  control: (section: ControlSection = 'routing', search = '') => `/control/${section}${search}`,
  canary: (reportId: string) => `/control/canaries/${encodeURIComponent(reportId)}`,
  /** The review queue, optionally filtered to one kind of task. */
  reviewsOf: (kind: string) => `/reviews?kind=${encodeURIComponent(kind)}`,
};
