import { ensureChromium, ensureTemporalCli, ensureTestServer, toolsDir } from './infra/tools';

/** Builds or fetches the Temporal tools into the cache outside the clone (a no-op when they are there). */
const cli = ensureTemporalCli();
const testServer = ensureTestServer();
const chromium = ensureChromium();
console.log(
  `Temporal tools in ${toolsDir()}:\n  dev server (CLI): ${cli ?? 'not buildable here; the SDK will download it'}\n  test server:      ${testServer ?? 'not buildable here; the SDK will download it'}\n  browser:          ${chromium ?? "no chromium: install Debian's chromium (the browser tests need it)"}`,
);
