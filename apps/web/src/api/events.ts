import { type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';

/** One server-sent event, parsed. */
export interface ServerEvent {
  event: string;
  data: string;
}

/** Splits an event-stream chunk sequence into events (the SSE wire format: fields, blank line between events). */
export function createEventParser(onEvent: (e: ServerEvent) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon >= 0 ? line.slice(0, colon) : line;
        const value = colon >= 0 ? line.slice(colon + 1).replace(/^ /, '') : '';
        if (field === 'event') {
          event = value;
        } else if (field === 'data') {
          data.push(value);
        }
      }
      if (data.length > 0) {
        onEvent({ event, data: data.join('\n') });
      }
      end = buffer.indexOf('\n\n');
    }
  };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Collects invalidations for a moment so a burst of events refetches each screen once (well within 2 s). */
function batcher(queryClient: QueryClient, delayMs = 200) {
  const pending = new Map<string, readonly unknown[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return (key: readonly unknown[]) => {
    pending.set(JSON.stringify(key), key);
    timer ??= setTimeout(() => {
      timer = null;
      const batch = [...pending.values()];
      pending.clear();
      batch.forEach((queryKey) => void queryClient.invalidateQueries({ queryKey }));
    }, delayMs);
  };
}

export type LiveStatus = 'connecting' | 'open' | 'retrying';

/**
 * Listens to `GET /api/v1/events` with the token in the Authorization header (EventSource cannot send one) and
 * invalidates the queries an event touches; reconnects with backoff. Returns a function that stops it.
 */
export function startLiveUpdates(queryClient: QueryClient, onStatus: (s: LiveStatus) => void): () => void {
  const controller = new AbortController();
  const invalidate = batcher(queryClient);
  let attempt = 0;

  const handle = ({ event, data }: ServerEvent) => {
    if (event === 'dossier') {
      const code = parseJson(data).code;
      if (typeof code === 'string') {
        invalidate(keys.dossier(code));
      }
      invalidate(keys.dossiers);
    } else if (event === 'notification') {
      invalidate(keys.notifications);
    }
  };

  const connect = async (): Promise<void> => {
    onStatus(attempt === 0 ? 'connecting' : 'retrying');
    try {
      const { data, response } = await api.GET('/api/v1/events', {
        parseAs: 'stream',
        signal: controller.signal,
        headers: { Accept: 'text/event-stream' },
      });
      if (!response.ok || !data) {
        throw new Error(`events: HTTP ${response.status}`);
      }
      onStatus('open');
      // Whatever changed while disconnected is refetched once.
      if (attempt > 0) {
        void queryClient.invalidateQueries({ queryKey: keys.dossiers });
        void queryClient.invalidateQueries({ queryKey: ['dossier'] });
        void queryClient.invalidateQueries({ queryKey: keys.notifications });
      }
      attempt = 0;
      const parse = createEventParser(handle);
      const reader = data.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        parse(value);
      }
    } catch {
      // Dropped or refused: fall through to the backoff below unless we were stopped.
    }
    if (controller.signal.aborted) {
      return;
    }
    attempt += 1;
    onStatus('retrying');
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5)) * (0.75 + Math.random() * 0.5);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (!controller.signal.aborted) {
      return connect();
    }
  };

  void connect();
  return () => controller.abort();
}
