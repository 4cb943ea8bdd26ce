// A hostile peer for the table-driven suite (hostile.spec.ts): an authorization server of its
// own (metadata, registration, authorization, token, introspection, revocation) and an MCP
// endpoint that forwards to the real demo MCP server, which checks the peer's tokens by
// introspecting them at the peer. Honest by default; each test hands it one misbehaviour:
// `hooks[name]` for a named response may replace it (return a Reply) or change it in place.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { startMcpServer } from '../../../demo/mcp-server.mjs';
import { allowApp } from './cors.mjs';

/**
 * @typedef {{ status?: number, headers?: Record<string, string>, body?: string | Buffer | object, hang?: boolean,
 *   stream?: (res: import('node:http').ServerResponse) => void }} Reply
 * @typedef {{ method: string, path: string, query: URLSearchParams, form: URLSearchParams, origin?: string, authorization?: string, aborted: boolean,
 *   clientAuth?: 'client_secret_post' | 'client_secret_basic' | 'none' | 'refused' }} PeerRequest
 * @typedef {(reply: Reply & { body?: any }, req: PeerRequest, peer: Peer) => Reply | void} Hook
 * @typedef {{ origin: string, url: string, mcpUrl: string, requests: PeerRequest[], hooks: Record<string, Hook>,
 *   retarget: (accessToken: string, audience: string) => void, close: () => Promise<void> }} Peer
 */

/**
 * @typedef {'client_secret_post' | 'client_secret_basic'} SecretMethod
 * @typedef {import('./cors.mjs').CorsFlaw} CorsFlaw
 */

/**
 * @param {{ appOrigin: string, hooks?: Record<string, Hook>, mcpCors?: CorsFlaw, oauthCors?: Record<string, CorsFlaw>,
 *   clientSecret?: { methods: SecretMethod[], formOnlyRevocation?: boolean, preRegistered?: { clientId: string, clientSecret: string } }, idToken?: { aud: string } }} options
 *   mcpCors: a CORS misconfiguration of the MCP endpoint only (see cors.mjs)
 *   oauthCors: CORS misconfigurations of OAuth endpoints, by name (prm, as-metadata, register, token, revoke)
 *   clientSecret: registration assigns a client_secret for methods[0]; the token and revocation
 *     endpoints accept only `methods` and refuse a request without the secret (RFC 7009 §2.1). The
 *     revocation endpoint answers a form without client_secret as the Python SDK's does.
 *     preRegistered: a client known in advance, as one a person types in Client settings.
 *   idToken: every token response carries an ID token with this `aud`, asked for or not
 * @returns {Promise<Peer>}
 */
export async function startPeer({ appOrigin, hooks = {}, mcpCors = {}, oauthCors = {}, clientSecret, idToken }) {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const origin = `http://localhost:${port}`;
  const url = `${origin}/mcp`;
  const introspectionClient = { clientId: 'peer-rs', clientSecret: randomBytes(12).toString('hex') };
  const mcp = await startMcpServer({ port: 0, appOrigins: [appOrigin], issuer: origin, introspectionClient, dpop: 'off' });

  /** @type {Map<string, { clientId: string, redirectUri: string, challenge: string, scope: string }>} */
  const codes = new Map();
  /** @type {Map<string, { scope: string, aud: string, exp: number }>} */
  const tokens = new Map();
  /** @type {Map<string, { scope: string }>} */
  const refreshTokens = new Map();
  /** Clients with a secret (clientSecret mode), by client_id. @type {Map<string, { secret: string, method: SecretMethod }>} */
  const secrets = new Map();
  if (clientSecret?.preRegistered) {
    secrets.set(clientSecret.preRegistered.clientId, { secret: clientSecret.preRegistered.clientSecret, method: clientSecret.methods[0] ?? 'client_secret_basic' });
  }
  /** @type {PeerRequest[]} */
  const requests = [];
  /** @type {Peer} */
  const peer = {
    origin,
    url,
    mcpUrl: mcp.url,
    requests,
    hooks,
    // Makes an issued access token one for another audience (what introspection will say).
    retarget: (accessToken, audience) => {
      const t = tokens.get(accessToken);
      if (t) t.aud = audience;
    },
    close: async () => {},
  };

  const asMetadata = () => ({
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    revocation_endpoint: `${origin}/revoke`,
    introspection_endpoint: `${origin}/introspect`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: clientSecret ? clientSecret.methods : ['none'],
    ...(clientSecret ? { revocation_endpoint_auth_methods_supported: clientSecret.methods } : {}),
    authorization_response_iss_parameter_supported: true,
    scopes_supported: ['mcp:basic', 'mcp:admin'],
  });

  const mint = (scope, aud = mcp.url) => {
    const access = randomBytes(16).toString('hex');
    const refresh = randomBytes(16).toString('hex');
    tokens.set(access, { scope, aud, exp: Date.now() + 3600_000 });
    refreshTokens.set(refresh, { scope });
    return { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh, scope, ...(idToken ? { id_token: unsignedIdToken(origin, idToken.aud) } : {}) };
  };

  /**
   * The client a token or revocation request comes from, and how it authenticated (clientSecret
   * mode: the registered method with the right secret, or 'refused'). Basic credentials are
   * form-encoded (RFC 6749 §2.3.1).
   * @param {PeerRequest} req
   * @returns {{ clientId: string, how: NonNullable<PeerRequest['clientAuth']> }}
   */
  function clientOf(req) {
    const basic = /^Basic\s+(\S+)$/i.exec(req.authorization ?? '');
    let clientId = req.form.get('client_id') ?? '';
    /** @type {string | undefined} */ let secret;
    /** @type {SecretMethod | undefined} */ let used;
    if (basic) {
      const [id = '', pass = ''] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
      const decode = (/** @type {string} */ s) => decodeURIComponent(s.replace(/\+/g, ' '));
      clientId = decode(id);
      secret = decode(pass);
      used = 'client_secret_basic';
    } else if (req.form.has('client_secret')) {
      secret = req.form.get('client_secret') ?? '';
      used = 'client_secret_post';
    }
    const known = secrets.get(clientId);
    if (!clientSecret || !known) return { clientId, how: used ? 'refused' : 'none' };
    const ok = used !== undefined && clientSecret.methods.includes(used) && secret === known.secret;
    return { clientId, how: ok ? used : 'refused' };
  }
  /**
   * The honest answer to a request, by name, before any hook.
   * @param {string} name
   * @param {PeerRequest} req
   * @returns {Promise<Reply>}
   */
  async function honest(name, req) {
    switch (name) {
      case 'prm':
        return { body: { resource: url, authorization_servers: [origin], scopes_supported: ['mcp:basic'], bearer_methods_supported: ['header'] } };
      case 'as-metadata':
        return { body: asMetadata() };
      case 'register': {
        const meta = JSON.parse(req.body || '{}');
        const clientId = `client-${randomBytes(6).toString('hex')}`;
        // clientSecret mode: a secret whatever the client asked for, as the Python SDK's server does.
        const method = clientSecret?.methods[0];
        const secret = method ? randomBytes(16).toString('hex') : undefined;
        if (method && secret) secrets.set(clientId, { secret, method });
        return {
          status: 201,
          body: {
            client_id: clientId,
            client_id_issued_at: Math.floor(Date.now() / 1000),
            ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
            redirect_uris: meta.redirect_uris,
            grant_types: meta.grant_types ?? ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: method ?? 'none',
            client_name: meta.client_name,
          },
        };
      }
      case 'authorize': {
        const q = req.query;
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          clientId: q.get('client_id') ?? '',
          redirectUri: q.get('redirect_uri') ?? '',
          challenge: q.get('code_challenge') ?? '',
          scope: q.get('scope') ?? 'mcp:basic',
        });
        const to = new URL(q.get('redirect_uri') ?? '');
        to.searchParams.set('code', code);
        to.searchParams.set('state', q.get('state') ?? '');
        to.searchParams.set('iss', origin);
        return { status: 302, headers: { location: to.href } };
      }
      case 'token': {
        const f = req.form;
        const client = clientOf(req);
        req.clientAuth = client.how;
        if (client.how === 'refused' || (clientSecret && client.how === 'none')) {
          return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed.' } };
        }
        if (f.get('grant_type') === 'authorization_code') {
          const grant = codes.get(f.get('code') ?? '');
          codes.delete(f.get('code') ?? '');
          const verifier = f.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (!grant || grant.clientId !== client.clientId || grant.redirectUri !== f.get('redirect_uri') || grant.challenge !== challenge) {
            return { status: 400, body: { error: 'invalid_grant' } };
          }
          return { body: mint(grant.scope) };
        }
        if (f.get('grant_type') === 'refresh_token') {
          const grant = refreshTokens.get(f.get('refresh_token') ?? '');
          if (!grant) return { status: 400, body: { error: 'invalid_grant' } };
          refreshTokens.delete(f.get('refresh_token') ?? '');
          return { body: mint(grant.scope) };
        }
        return { status: 400, body: { error: 'unsupported_grant_type' } };
      }
      case 'introspect': {
        const t = tokens.get(req.form.get('token') ?? '');
        if (!t || t.exp < Date.now()) return { body: { active: false } };
        return { body: { active: true, scope: t.scope, aud: t.aud, client_id: 'x', token_type: 'Bearer', exp: Math.floor(t.exp / 1000) } };
      }
      case 'revoke': {
        const client = clientOf(req);
        req.clientAuth = client.how;
        if (clientSecret && client.how === 'refused') {
          return { status: 401, body: { error: 'unauthorized_client', error_description: 'Client authentication failed.' } };
        }
        // The Python SDK's revocation endpoint then validates the form: client_secret must be in it.
        if (clientSecret?.formOnlyRevocation && !req.form.has('client_secret')) {
          return { status: 400, body: { error: 'invalid_request', error_description: 'client_secret: Field required' } };
        }
        tokens.delete(req.form.get('token') ?? '');
        refreshTokens.delete(req.form.get('token') ?? '');
        return { status: 200, body: '' };
      }
      case 'mcp': {
        const headers = /** @type {Record<string, string>} */ ({ ...req.headers });
        delete headers.host;
        delete headers['content-length'];
        const abort = new AbortController();
        const upstream = await fetch(mcp.url, { method: req.method, headers, body: req.method === 'POST' ? req.body : undefined, signal: abort.signal });
        /** @type {Record<string, string>} */
        const out = {};
        upstream.headers.forEach((v, k) => {
          if (!k.startsWith('access-control-') && k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding') out[k] = v;
        });
        if (out['www-authenticate']) {
          out['www-authenticate'] = out['www-authenticate'].replace(/resource_metadata="[^"]*"/g, `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);
        }
        // A stream that lives as long as its session (a 2026-07-28 subscriptions/listen, a 2025
        // GET stream) is passed on as it comes: buffering it would never answer.
        const listening = req.method === 'GET' || /"method"\s*:\s*"subscriptions\/listen"/.test(req.body);
        if (listening && upstream.ok && upstream.body) {
          const body = upstream.body;
          return {
            status: upstream.status,
            headers: out,
            stream: (res) => {
              res.writeHead(upstream.status, { ...out, 'cache-control': 'no-store' });
              res.on('close', () => abort.abort());
              Readable.fromWeb(/** @type {any} */ (body)).on('error', () => res.destroy()).pipe(res);
            },
          };
        }
        return { status: upstream.status, headers: out, body: Buffer.from(await upstream.arrayBuffer()) };
      }
    }
    return { status: 404, body: 'not found' };
  }

  /** Which named answer a request is, if any. */
  function nameOf(method, path) {
    if (path === '/mcp') return 'mcp';
    if (path.startsWith('/.well-known/oauth-protected-resource')) return 'prm';
    if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') return 'as-metadata';
    if (path === '/register' && method === 'POST') return 'register';
    if (path === '/authorize' && method === 'GET') return 'authorize';
    if (path === '/token' && method === 'POST') return 'token';
    if (path === '/introspect' && method === 'POST') return 'introspect';
    if (path === '/revoke' && method === 'POST') return 'revoke';
    return undefined;
  }

  server.on('request', async (req, res) => {
    const u = new URL(req.url ?? '/', origin);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const fromBrowser = req.headers.origin !== undefined || u.pathname === '/authorize';
    /** @type {PeerRequest & { body: string, headers: Record<string, string> }} */
    const record = {
      method: req.method ?? '',
      path: u.pathname,
      query: u.searchParams,
      form: new URLSearchParams(req.headers['content-type']?.includes('x-www-form-urlencoded') ? body : ''),
      ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      aborted: false,
      body,
      headers: /** @type {Record<string, string>} */ (req.headers),
    };
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    // The demo MCP server's own calls (introspection, its metadata lookup) are not the app's.
    if (fromBrowser) requests.push(record);
    const name = nameOf(record.method, record.path);
    if (allowApp(req, res, appOrigin, u.pathname === '/mcp' ? mcpCors : (name && oauthCors[name]) || {})) return;
    try {
      let reply = name ? await honest(name, record) : { status: 404, body: 'not found' };
      const hook = name && fromBrowser ? hooks[name] : undefined;
      if (hook) reply = hook(reply, record, peer) ?? reply;
      if (reply.hang) return; // never answers
      if (reply.stream) {
        reply.stream(res);
        return;
      }
      const isJson = reply.body !== undefined && typeof reply.body === 'object' && !Buffer.isBuffer(reply.body);
      const payload = isJson ? JSON.stringify(reply.body) : (reply.body ?? '');
      res.writeHead(reply.status ?? 200, { ...(isJson ? { 'content-type': 'application/json' } : {}), 'cache-control': 'no-store', ...reply.headers });
      res.end(payload);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err));
    }
  });

  peer.close = async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(() => ok(undefined)));
    await mcp.close();
  };
  return peer;
}

/**
 * An ID token (OpenID Connect Core §2) for `aud`, with a signature no one can check: a client that
 * did not ask for one must not get as far as checking it.
 * @param {string} issuer
 * @param {string} aud
 */
function unsignedIdToken(issuer, aud) {
  const part = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: issuer, sub: 'peer-user', aud, iat: now, exp: now + 300 })}.${randomBytes(32).toString('base64url')}`;
}
