// Writes solidcrypt's Client ID Document (Solid-OIDC §5, src/auth/client_id.rs) for
// the address the app is served from: its client_id must be its own URL, so each
// origin gets its own file.
//   node scripts/lib/client-id.mjs APP_URL OUT_DIR
// As Trunk's post_build hook (Trunk.toml) it reads SOLIDCRYPT_APP_URL and writes into
// TRUNK_STAGING_DIR; without SOLIDCRYPT_APP_URL it writes nothing, and the app then
// registers itself at each login (dynamic registration) as before.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function clientIdDocument(appUrl) {
  const app = new URL(appUrl);
  if (!['http:', 'https:'].includes(app.protocol) || app.search || app.hash) {
    throw new Error(`not an app address: ${appUrl}`);
  }
  if (!app.pathname.endsWith('/')) app.pathname += '/';
  return {
    '@context': ['https://www.w3.org/ns/solid/oidc-context.jsonld'],
    client_id: new URL('clientid.jsonld', app).href,
    client_name: 'solidcrypt',
    client_uri: app.href,
    redirect_uris: [new URL('/callback', app).href],
    post_logout_redirect_uris: [new URL('/', app).href],
    scope: 'openid webid offline_access',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    id_token_signed_response_alg: 'ES256',
  };
}

const [appArg, outArg] = process.argv.slice(2);
const appUrl = appArg ?? process.env.SOLIDCRYPT_APP_URL;
const out = outArg ?? process.env.TRUNK_STAGING_DIR;
if (import.meta.url === `file://${process.argv[1]}`) {
  if (!appUrl) {
    console.log('client-id: SOLIDCRYPT_APP_URL is not set: no Client ID Document (the app registers at each login)');
  } else if (!out) {
    console.error('client-id: no output folder (argument or TRUNK_STAGING_DIR)');
    process.exit(2);
  } else {
    const document = clientIdDocument(appUrl);
    await writeFile(join(out, 'clientid.jsonld'), `${JSON.stringify(document, null, 2)}\n`);
    console.log(`client-id: ${document.client_id}`);
  }
}
