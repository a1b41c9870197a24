/** A server-sent event as a client reads it. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
}

/**
 * Opens `GET /api/v1/events` the way the console does (fetch with the bearer token, never in the URL) and collects
 * its events until closed.
 */
export async function openEventStream(baseUrl: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const reading = (async () => {
    if (!res.body) {
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) {
              event = line.slice(6).trim();
            } else if (line.startsWith('data:')) {
              data.push(line.slice(5).trimStart());
            }
          }
          const text = data.join('\n');
          events.push({ event, data: text ? JSON.parse(text) : null });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  /** The first event (already received or still to come) that `match` accepts. */
  const waitFor = async (match: (e: ReceivedEvent) => boolean, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(match);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${what} event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    waitFor,
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
