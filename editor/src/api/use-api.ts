import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from './client.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs a route and keeps the answer; `pollMs` re-fetches while `poll` says so (a live run).
 * A `path` of undefined fetches nothing.
 */
export function useApi<T>(
  path: string | undefined,
  options: { pollMs?: number; poll?: (data: T) => boolean } = {},
): Loaded<T> {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  // Which request the data and error answer: loading until the current one has answered.
  const [answered, setAnswered] = useState<string | undefined>();
  const key = path === undefined ? undefined : `${generation}:${path}`;
  const { pollMs, poll } = options;
  const pollRef = useRef(poll);
  useEffect(() => {
    pollRef.current = poll;
  }, [poll]);

  useEffect(() => {
    if (path === undefined) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      api
        .get<T>(path)
        .then((body) => {
          if (cancelled) return;
          setData(body);
          setError(undefined);
          setAnswered(key);
          if (pollMs && pollRef.current?.(body)) timer = setTimeout(load, pollMs);
        })
        .catch((reason: unknown) => {
          if (cancelled) return;
          setError(describeError(reason));
          setAnswered(key);
        });
    };
    load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, key, pollMs]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading: key !== undefined && answered !== key, reload };
}
