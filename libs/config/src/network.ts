/** A host name or address of this machine's loopback interface (`localhost`, `127.0.0.0/8`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * A URL the API may fetch keys or discovery from in production: `https://`, or `http://` to the loopback interface
 * (a sidecar on the same machine; no network sees that traffic). Anything else could be answered by whoever sits on
 * the path, with keys of their choosing.
 */
export function isSecureFetchUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  } catch {
    return false;
  }
}
