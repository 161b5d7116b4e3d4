// A real OpenID provider for the tests (tests/oidc_provider.py starts it): panva's oidc-provider, certified by the
// OpenID Foundation, configured like FranceConnect for what DataCity uses: the authorisation code flow with PKCE
// (S256 required), a client authenticated with its secret, RS256-signed ID tokens, and FranceConnect's identity
// claims (sub, given_name, family_name, email) behind scopes of the same names.
//
// Its built-in sign-in pages ("devInteractions") take any login and password: the login becomes the subject.
// Usage: node provider.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI [PORT]; prints "issuer <url>" once listening.
import * as crypto from 'node:crypto';
import * as http from 'node:http';

import Provider from 'oidc-provider';

const [clientId, clientSecret, redirectUri, port = '0'] = process.argv.slice(2);
if (!clientId || !clientSecret || !redirectUri) {
  console.error('usage: node provider.mjs CLIENT_ID CLIENT_SECRET REDIRECT_URI [PORT]');
  process.exit(2);
}

const server = http.createServer();
server.listen(Number(port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  // A key of this run only: the provider's built-in development key is public.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    // FranceConnect names a scope after each claim (docs/operations.md).
    claims: {
      openid: ['sub'],
      given_name: ['given_name'],
      family_name: ['family_name'],
      email: ['email'],
    },
    scopes: ['openid', 'given_name', 'family_name', 'email'],
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, given_name: 'Camille', family_name: 'Martin', email: `${id}@example.org` };
        },
      };
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  });
  // Its warnings about development settings are expected here.
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  console.log(`issuer ${issuer}`);
});
