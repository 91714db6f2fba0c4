import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` when `signal` changes identity (not on mount), at most once per `intervalMs`:
 * changes in between are merged into one trailing call. For queries derived from live state.
 */
export const useRefreshOn = (signal: unknown, refresh: () => void, intervalMs = 2000): void => {
  const previous = useRef(signal);
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  const lastRun = useRef(0);
  useEffect(() => {
    if (previous.current === signal) return;
    previous.current = signal;
    const timer = setTimeout(
      () => {
        lastRun.current = Date.now();
        latestRefresh.current();
      },
      Math.max(0, lastRun.current + intervalMs - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [signal, intervalMs]);
};
