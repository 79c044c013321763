import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export interface Action<A extends unknown[], R> {
  /** Runs the action unless it is already running (a double click never submits twice). */
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: ApiError | undefined;
  /** Field path → message from the last failure's `details.fields`. */
  fieldErrors: Record<string, string>;
  reset: () => void;
}

/** Wraps a call that changes something: tracks busy state and the API's error for display. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const run = useCallback(async (...args: A) => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      return await fnRef.current(...args);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', err instanceof Error ? err.message : String(err)));
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const reset = useCallback(() => setError(undefined), []);
  return { run, busy, error, fieldErrors: error?.fields ?? {}, reset };
}
