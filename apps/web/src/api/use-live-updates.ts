import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { type LiveStatus, startLiveUpdates } from './events';

let status: LiveStatus = 'connecting';
const listeners = new Set<() => void>();
const setStatus = (s: LiveStatus) => {
  status = s;
  listeners.forEach((l) => l());
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Keeps the server-event stream open while the signed-in shell is shown. */
export function useLiveUpdates(token: string | null): void {
  const queryClient = useQueryClient();
  useEffect(() => (token ? startLiveUpdates(queryClient, setStatus) : undefined), [queryClient, token]);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, () => status);
}

/** Screens poll only while the event stream is down, so they still update within seconds. */
export function useFallbackPolling(): number | false {
  return useLiveStatus() === 'open' ? false : 5_000;
}
