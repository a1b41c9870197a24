// A real OpenID provider (the certified `oidc-provider` package) for the browser tier. It is ESM-only and Jest runs
// CommonJS, so test/support/oidc-provider.ts runs this file as a child process and talks to it in JSON lines:
//   argv[2]  {"clientId", "audience", "accounts": [{"username", "subject", "password", "name"}]}
//   stdout   {"event":"listening","issuer"}   (bound to a free loopback port, not serving yet)
//   stdin    {"redirectUri", "postLogoutRedirectUri"}   (the console's addresses, known once the product listens)
//   stdout   {"event":"ready"}
// Access tokens are JWTs for the resource server `audience`, signed with this provider's key (its JWKS verifies them).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider, { errors } from 'oidc-provider';

const { clientId, audience, accounts } = JSON.parse(process.argv[2]);
const byUsername = new Map(accounts.map((a) => [a.username, a]));
// The account id is the `sub` of its tokens: opaque, like a real provider's (the username is only a claim).
const bySubject = new Map(accounts.map((a) => [a.subject, a]));

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const page = (title, body) => `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:360px;margin:48px auto;color:#1f1f1f}label{display:block;margin:12px 0 4px}
input{width:100%;padding:8px;box-sizing:border-box}button{margin-top:16px;padding:8px 16px;background:#0b57d0;color:#fff;border:0}
[role=alert]{color:#b3261e}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

const loginPage = (uid, error, login = '') =>
  page(
    'Cổng xác thực — Đăng nhập',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="login">Tên đăng nhập</label><input id="login" name="login" value="${escapeHtml(login)}" required autofocus>
<label for="password">Mật khẩu</label><input id="password" name="password" type="password" required>
<button type="submit">Đăng nhập</button>
</form>`,
  );

const readForm = async (req) => {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
  }
  return new URLSearchParams(body);
};

let provider = null;

/** The login page and its form (the interactions the provider sends the browser to), then the provider itself. */
const handle = async (req, res) => {
  if (!provider) {
    res.writeHead(503).end('not configured yet');
    return;
  }
  const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url.split('?')[0]);
  if (!interaction) {
    provider.callback()(req, res);
    return;
  }
  const details = await provider.interactionDetails(req, res);
  const html = (content) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(content);
  if (req.method === 'GET') {
    html(loginPage(details.uid));
    return;
  }
  const form = await readForm(req);
  const account = byUsername.get(form.get('login') ?? '');
  if (!account || account.password !== form.get('password')) {
    html(loginPage(details.uid, 'Tên đăng nhập hoặc mật khẩu không đúng.', form.get('login') ?? ''));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.subject } },
    { mergeWithLastSubmission: false },
  );
};

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    if (!res.headersSent) {
      res.writeHead(500).end(String(e.message ?? e));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  send({ event: 'listening', issuer });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const { redirectUri, postLogoutRedirectUri } = JSON.parse(line);
    provider = createProvider(issuer, redirectUri, postLogoutRedirectUri);
    send({ event: 'ready' });
  });
  // The test process went away: so does the provider.
  lines.on('close', () => process.exit(0));
});

function createProvider(issuer, redirectUri, postLogoutRedirectUri) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = { ...privateKey.export({ format: 'jwk' }), kid: 'sso-test', alg: 'RS256', use: 'sig' };
  const consoleOrigin = new URL(redirectUri).origin;
  const instance = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'web',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'none',
      },
    ],
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    async findAccount(_ctx, sub) {
      const account = bySubject.get(sub);
      return account
        ? { accountId: sub, claims: async () => ({ sub, name: account.name, preferred_username: account.username }) }
        : undefined;
    },
    // The console is the province's own client: no consent screen, the grant is made at the first sign-in.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing || !ctx.oidc.session.accountId) {
        return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(audience, 'api');
      await grant.save();
      return grant;
    },
    // A Keycloak-like provider also puts the username in the token; the API ignores it (it binds officers to `sub`).
    async extraTokenClaims(_ctx, token) {
      const account = token.accountId ? bySubject.get(token.accountId) : undefined;
      return account ? { preferred_username: account.username } : undefined;
    },
    clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Cổng xác thực — Đăng xuất',
            `${form}<p>Bạn có muốn đăng xuất khỏi cổng xác thực?</p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Đăng xuất khỏi cổng xác thực</button>`,
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== audience) {
            throw new errors.InvalidTarget();
          }
          return {
            scope: 'api',
            audience,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  instance.on('server_error', (_ctx, e) => process.stderr.write(`oidc-provider: ${e.stack ?? e}\n`));
  return instance;
}
