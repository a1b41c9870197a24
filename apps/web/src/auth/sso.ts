import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { session, type SsoProvider } from './session';

/**
 * Single sign-on with the deployment's OpenID provider: authorization code + PKCE through oidc-client-ts. Loaded
 * only by the sign-in and callback routes and by sign-out (a chunk of its own, not in the worklist's first load).
 */
export const CALLBACK_PATH = '/dang-nhap/callback';

function manager(provider: SsoProvider): UserManager {
  // The flow's state and the signed-in user live in this tab's sessionStorage only, like the console's own token.
  const store = new WebStorageStateStore({ store: window.sessionStorage, prefix: 'dossier-console.oidc.' });
  return new UserManager({
    authority: provider.issuer,
    client_id: provider.clientId,
    scope: provider.scopes,
    response_type: 'code',
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/dang-nhap`,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
  });
}

/**
 * Sends the browser to the provider's sign-in page; it comes back to CALLBACK_PATH, then goes on to `from` (or, when
 * the officer was going nowhere in particular, to their role's home).
 */
export async function startSignIn(provider: SsoProvider, from: string | undefined): Promise<void> {
  await manager(provider).signinRedirect({ state: { from } });
}

let completing: { url: string; landing: Promise<string | null> } | null = null;

/**
 * Exchanges the code of the current address for the tokens (once per address: React may run effects twice),
 * starts the console's session with the access token, and answers where to land (null: the officer's home).
 */
export function completeSignIn(provider: SsoProvider): Promise<string | null> {
  const url = window.location.href;
  if (completing?.url !== url) {
    const landing = manager(provider)
      .signinRedirectCallback(url)
      .then((user) => {
        const expiresAt = user.expires_at ? user.expires_at * 1000 : Date.now() + 60 * 60_000;
        session.signIn(user.access_token, new Date(expiresAt).toISOString(), provider);
        const from = (user.state as { from?: unknown } | undefined)?.from;
        // Only a path of this console: the state came back through the provider.
        return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : null;
      });
    completing = { url, landing };
  }
  return completing.landing;
}

/** Ends the session at the provider too (it comes back to the sign-in page); the console's own is already gone. */
export async function endProviderSession(provider: SsoProvider): Promise<void> {
  await manager(provider).signoutRedirect();
}
