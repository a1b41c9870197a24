import { type RequestHandler } from 'express';
import helmet from 'helmet';
import { type AppConfig } from '../../../../libs/config/src';

/**
 * The Content-Security-Policy of everything the API serves (the console at `/`, the API, the OpenAPI UI):
 * - scripts only from this origin (the console's bundles; no inline script, no eval),
 * - styles from this origin and inline (Ant Design writes its CSS-in-JS into `<style>` elements, ECharts and the
 *   OpenAPI UI set `style` attributes), images from here and `data:` (icons), fonts from here,
 * - calls to this origin and to the OpenID provider (the console reads its discovery document and exchanges the
 *   code for tokens there: authorization code + PKCE; the sign-in and sign-out pages are navigations, not calls),
 * - never framed by another site (clickjacking), no plugins, no `<base>` or form posts elsewhere.
 * PDFs open in a tab from a `blob:` URL: a top-level document the browser's viewer shows under this policy.
 */
export function contentSecurityPolicy(config: Pick<AppConfig, 'OIDC_ISSUER'>): Record<string, string[] | null> {
  const provider = config.OIDC_ISSUER ? [new URL(config.OIDC_ISSUER).origin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...provider],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Plain-http deployments (embedded mode on 127.0.0.1) must keep loading their own assets; HSTS does the upgrading
    // where the API is reached over https.
    'upgrade-insecure-requests': null,
  };
}

/** helmet with the policy above; its other defaults (nosniff, HSTS, no referrer, same-origin opener…) as they are. */
export function securityHeaders(config: Pick<AppConfig, 'OIDC_ISSUER'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    frameguard: { action: 'deny' },
    // The console opens PDFs in a tab it opened itself; nothing else needs a cross-origin opener.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
}
