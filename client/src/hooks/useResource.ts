import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from '../api/client';
import { connectivity } from '../api/connectivity';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: T | ((prev: T | undefined) => T)) => void;
}

/**
 * Loads data from the API while `deps` stay the same. A load that failed because the connection
 * dropped is retried by itself once the server answers again.
 */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (gen !== generation.current) return;
      setDataState(value);
      setError(undefined);
    } catch (err) {
      if (gen !== generation.current) return;
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setDataState(undefined);
    setError(undefined);
    void reload();
  }, deps);

  useEffect(
    () =>
      connectivity.subscribe((online) => {
        if (online && error?.isNetwork) void reload();
      }),
    [error, reload],
  );

  const setData = useCallback((update: T | ((prev: T | undefined) => T)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: T | undefined) => T)(prev) : update));
  }, []);

  return { data, error, loading, reload, setData };
}
