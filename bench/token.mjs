// The baseline's token: obtained in Node, straight from the demo authorization server, with the
// same grant the app uses (public client, authorization code + PKCE S256 + RFC 8707 resource).
// The demo AS must run with autoApprove, so the authorization request is only redirects.
import { createHash, randomBytes } from 'node:crypto';

const b64u = (b) => Buffer.from(b).toString('base64url');

/** Minimal cookie jar for the AS's interaction cookies (one host, path-prefix match). */
class Jar {
  cookies = new Map();
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const a of attrs) {
        const [k, v] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        if (k.toLowerCase() === 'expires' && new Date(v) < new Date()) expired = true;
      }
      if (expired) this.cookies.delete(`${name}|${path}`);
      else this.cookies.set(`${name}|${path}`, { name, value, path });
    }
  }
  header(url) {
    const { pathname } = new URL(url);
    return [...this.cookies.values()]
      .filter((c) => c.path === '/' || pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

/**
 * @param {{ issuer: string, resource: string, redirectUri: string, scope?: string }} o
 * @returns {Promise<{ accessToken: string, expiresIn: number, clientId: string, scope: string }>}
 */
export async function obtainToken({ issuer, resource, redirectUri, scope = 'mcp:basic' }) {
  const meta = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
  const reg = await fetch(meta.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Keyhole bench baseline',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  const client = await reg.json();
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${JSON.stringify(client)}`);

  const verifier = b64u(randomBytes(32));
  const challenge = b64u(createHash('sha256').update(verifier).digest());
  const state = b64u(randomBytes(12));
  const auth = new URL(meta.authorization_endpoint);
  auth.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource,
  }).toString();

  const jar = new Jar();
  let url = auth.href;
  let landed;
  for (let i = 0; i < 20 && !landed; i++) {
    const headers = new Headers();
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { headers, redirect: 'manual' });
    jar.store(res);
    if (res.status < 300 || res.status >= 400) throw new Error(`authorization stopped at ${url}: HTTP ${res.status} (is the AS in autoApprove mode?)`);
    const next = new URL(res.headers.get('location') ?? '', url);
    if (next.href.startsWith(issuer)) url = next.href;
    else landed = next;
  }
  if (!landed) throw new Error('authorization: too many redirects');
  if (landed.searchParams.get('state') !== state) throw new Error('authorization: state mismatch');
  const code = landed.searchParams.get('code');
  if (!code) throw new Error(`authorization failed: ${landed.search}`);

  const tokenRes = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: client.client_id,
      code_verifier: verifier,
      resource,
    }),
  });
  const tokens = await tokenRes.json();
  if (tokenRes.status !== 200) throw new Error(`token request failed: ${tokenRes.status} ${JSON.stringify(tokens)}`);
  return { accessToken: tokens.access_token, expiresIn: tokens.expires_in, clientId: client.client_id, scope: tokens.scope };
}
