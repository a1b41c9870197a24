import { ensureChromium, ensureTemporalCli, ensureTestServer, ensureVersityGw, toolsDir } from './infra/tools';

/** Builds or fetches the test tools into the cache outside the clone (a no-op when they are there). */
const cli = ensureTemporalCli();
const testServer = ensureTestServer();
const versitygw = ensureVersityGw();
const chromium = ensureChromium();
console.log(
  `Tools in ${toolsDir()}:\n  dev server (CLI): ${cli ?? 'not buildable here; the SDK will download it'}\n  test server:      ${testServer ?? 'not buildable here; the SDK will download it'}\n  S3 gateway:       ${versitygw ?? 'no Go: the object-store tests of dossier files cannot run'}\n  browser:          ${chromium ?? "no chromium: install Debian's chromium (the browser tests need it)"}`,
);
