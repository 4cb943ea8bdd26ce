// Keyhole demo authorization server.
//
// A thin configuration of the certified `oidc-provider` package (v9) for a
// plain OAuth 2.1 setup as MCP uses it:
//   - authorization code + PKCE (S256 only, always required),
//   - open Dynamic Client Registration (RFC 7591), public clients welcome,
//   - resource indicators (RFC 8707): the access token audience is the MCP
//     server URI; opaque access tokens validated by RFC 7662 introspection,
//   - refresh tokens rotated on every use (reuse => invalid_grant, grant revoked),
//   - revocation (RFC 7009), `iss` in authorization responses (RFC 9207),
//   - RFC 8414 + OpenID discovery documents,
//   - CORS for an explicit list of browser app origins,
//   - a small login + consent UI (or auto-approval for tests).
//
// Everything is kept in memory, per server instance.

import { randomBytes, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import { interactionRoutes, toList } from './auth-interactions.mjs';
import { createMemoryAdapter } from './auth-memory-adapter.mjs';
import { errorPage, PAGE_HEADERS } from './auth-views.mjs';

const DEBUG = process.env.KEYHOLE_DEMO_DEBUG === '1';

/** @param {...unknown} args */
function debug(...args) {
  if (DEBUG) console.error('[auth-server]', ...args);
}

/**
 * Paths on which this server itself answers CORS for `appOrigins`.
 * (oidc-provider's own CORS handling is bypassed for these; see corsMiddleware.)
 */
const CORS_PATHS = new Set([
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  '/jwks',
  '/reg',
  '/token',
  '/token/revocation',
  '/request', // pushed authorization requests (advertised in metadata)
]);

/** oidc-provider route names for which `clientBasedCORS` may allow an app origin. */
const CORS_ROUTES = new Set(['token', 'revocation', 'pushed_authorization_request', 'userinfo']);

const CORS_ALLOW_HEADERS = 'Content-Type, Authorization, DPoP';
const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS';
const CORS_EXPOSE_HEADERS = 'WWW-Authenticate, DPoP-Nonce';

/** @type {Promise<typeof import('oidc-provider')> | undefined} */
let oidcModule;

/**
 * Import oidc-provider once. On Node 20 it prints an "unsupported runtime"
 * banner at import time; swallow oidc-provider's own console notices unless
 * KEYHOLE_DEMO_DEBUG=1.
 */
function loadOidcProvider() {
  oidcModule ??= quietly(() => import('oidc-provider'));
  return oidcModule;
}

/**
 * Run `fn` while dropping console.info/warn lines that start with "oidc-provider"
 * (its start-up notices). Other output passes through.
 * @template T
 * @param {() => Promise<T> | T} fn
 * @returns {Promise<T>}
 */
async function quietly(fn) {
  if (DEBUG) return fn();
  const { info, warn } = console;
  const isNotice = (/** @type {unknown[]} */ args) => typeof args[0] === 'string'
    // eslint-disable-next-line no-control-regex
    && args[0].replace(/^\x1b\[[0-9;]*m/, '').startsWith('oidc-provider ');
  console.info = (...args) => { if (!isNotice(args)) info.apply(console, args); };
  console.warn = (...args) => { if (!isNotice(args)) warn.apply(console, args); };
  try {
    return await fn();
  } finally {
    console.info = info;
    console.warn = warn;
  }
}



/**
 * @typedef {object} ResourceConfig
 * @property {string} resource exact resource indicator (also the token audience)
 * @property {string[]} scopes scopes grantable for this resource
 */

/**
 * @typedef {object} PreRegisteredClient
 * @property {string} client_id
 * @property {string} [client_secret]
 * @property {string[]} redirect_uris
 * @property {string} [token_endpoint_auth_method]
 * @property {string[]} [grant_types]
 */

/**
 * @typedef {object} AuthServerOptions
 * @property {number} [port] 0 picks a free port. Binds 127.0.0.1; URLs use "localhost".
 * @property {string[]} [appOrigins] exact origins allowed by CORS
 * @property {ResourceConfig[]} resources protected resources (MCP servers)
 * @property {{ clientId: string, clientSecret: string }} introspectionClient confidential
 *   client (client_secret_basic) the MCP server uses for RFC 7662 introspection
 * @property {boolean} [autoApprove] skip login/consent (also env KEYHOLE_DEMO_AUTO_APPROVE=1)
 * @property {number} [accessTokenTTL] seconds (default 300)
 * @property {number} [refreshTokenTTL] seconds (default 86400), absolute across rotations
 * @property {PreRegisteredClient[]} [preRegisteredClients]
 */

/**
 * @typedef {object} AuthServerHandle
 * @property {string} issuer 'http://localhost:PORT'
 * @property {number} port
 * @property {() => Promise<void>} close
 * @property {() => string[]} secrets every access token, refresh token and
 *   authorization code issued, and every code_verifier received at /token
 * @property {{ method: string, path: string, time: number, grantType?: string, scope?: string }[]} requests every
 *   request received, newest last (`time` is Date.now(); `grantType` for handled token requests;
 *   `scope` for GET requests that carry one, such as authorization requests)
 * @property {(token: string) => Promise<Record<string, unknown>>} introspect
 *   RFC 7662 introspection of a token, as the introspection client
 * @property {(method: string, path: string, stage?: 'request' | 'answer') => { reached: Promise<unknown>, release: () => void, drop: () => void }} hold
 *   tests only: hold the next such request until released or dropped
 */

/**
 * Start the demo authorization server.
 * @param {AuthServerOptions} options
 * @returns {Promise<AuthServerHandle>}
 */
export async function startAuthServer({
  port = 0,
  appOrigins = [],
  resources,
  introspectionClient,
  autoApprove = false,
  accessTokenTTL = 300,
  refreshTokenTTL = 86400,
  preRegisteredClients = [],
  dpop = true,              // RFC 9449 at the token endpoint; false runs the server Bearer-only
  downgradeDpop = false,    // tests only: advertise DPoP but ignore proofs, issuing Bearer tokens (a downgrade)
} = /** @type {any} */ ({})) {
  if (!Array.isArray(resources) || resources.length === 0) {
    throw new TypeError('startAuthServer: `resources` must be a non-empty array');
  }
  if (!introspectionClient?.clientId || !introspectionClient?.clientSecret) {
    throw new TypeError('startAuthServer: `introspectionClient` needs clientId and clientSecret');
  }
  const approveAutomatically = autoApprove || process.env.KEYHOLE_DEMO_AUTO_APPROVE === '1';
  const allowedOrigins = new Set(appOrigins);
  /** @type {Map<string, ResourceConfig>} */
  const resourceMap = new Map(resources.map((r) => [r.resource, r]));
  const resourceScopes = new Set(resources.flatMap((r) => r.scopes));

  /** @type {Set<string>} */
  const secretSet = new Set();
  /** @param {unknown} v */
  const addSecret = (v) => {
    for (const s of toList(v)) if (s) secretSet.add(s);
  };
  /** @type {{ method: string, path: string, time: number, grantType?: string }[]} */
  const requests = [];
  /** Tests only: requests to hold before they are handled or before they are answered (see `hold`). */
  /** @type {{ method: string, path: string, stage: 'request' | 'answer', arrived: () => void, decision: Promise<'release' | 'drop'> }[]} */
  const holds = [];
  /**
   * Waits for the test's decision if this request is held at this stage. A dropped request's
   * connection is closed unanswered.
   * @param {any} ctx a Koa context
   * @param {'request' | 'answer'} stage
   */
  async function held(ctx, stage) {
    const i = holds.findIndex((h) => h.stage === stage && h.method === ctx.method && h.path === ctx.path);
    if (i < 0) return 'release';
    const [h] = holds.splice(i, 1);
    h.arrived();
    const decision = await h.decision;
    if (decision === 'drop') {
      ctx.respond = false;
      ctx.req.socket.destroy();
    }
    return decision;
  }

  // Bind first: the issuer must contain the port, and port 0 means "any".
  /** @type {((req: any, res: any) => void) | undefined} */
  let handler;
  const server = http.createServer((req, res) => {
    if (handler) handler(req, res);
    else {
      res.statusCode = 503;
      res.end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const issuer = `http://localhost:${boundPort}`;

  try {
    const { default: Provider, errors } = await loadOidcProvider();

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

    /** Display names by account id (the account id is the name typed at login). */
    const accounts = new Map([['demo-user', 'demo-user']]);

    const grantTTL = Math.max(14 * 24 * 60 * 60, refreshTokenTTL + accessTokenTTL);

    /** oidc-provider configuration (the package ships no type declarations). */
    const configuration = {
      adapter: createMemoryAdapter(60),
      jwks: { keys: [signingKey] },
      clients: [
        {
          client_id: introspectionClient.clientId,
          client_secret: introspectionClient.clientSecret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: [],
          response_types: [],
          redirect_uris: [],
        },
        ...preRegisteredClients.map((c) => ({ response_types: ['code'], ...c })),
      ],
      // Resource scopes must also be listed here: it is what discovery's
      // `scopes_supported` shows, and DCR rejects a `scope` metadata value
      // containing anything not listed.
      scopes: [...new Set(['openid', 'offline_access', ...resourceScopes])],
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
      responseTypes: ['code'],
      pkce: { required: () => true },
      cookies: {
        keys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
        // Defaults are httpOnly + SameSite=Lax; `secure` is only added when the
        // request itself is https, so plain http://localhost works.
      },
      features: {
        // DPoP (RFC 9449): tokens requested with a proof are bound to its key (cnf.jkt).
        dPoP: { enabled: dpop },
        devInteractions: { enabled: false },
        rpInitiatedLogout: { enabled: false },
        registration: {
          enabled: true,
          initialAccessToken: false,
        },
        revocation: {
          enabled: true,
          // A client may only revoke its own tokens (RFC 7009 §2.1).
          allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
        },
        introspection: {
          enabled: true,
          // Only confidential clients introspect. The introspection client sees
          // every token; other confidential clients only their own.
          allowedPolicy: async (ctx, client, token) => {
            if (client.clientAuthMethod === 'none') return false;
            return client.clientId === introspectionClient.clientId || token.clientId === client.clientId;
          },
        },
        resourceIndicators: {
          enabled: true,
          // Called without `oneOf` when an authorization request names no
          // resource; with `oneOf` when several were granted and the token
          // request does not pick one. We never guess an audience.
          defaultResource: async (ctx, client, oneOf) => {
            if (oneOf) return oneOf;
            const requested = String(ctx.oidc.params?.scope ?? '').split(' ');
            if (requested.some((s) => resourceScopes.has(s))) {
              throw new errors.InvalidTarget('a resource indicator (resource parameter) is required when requesting MCP scopes');
            }
            return undefined;
          },
          getResourceServerInfo: async (ctx, resourceIndicator) => {
            const entry = resourceMap.get(resourceIndicator);
            if (!entry) throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
            return {
              scope: entry.scopes.join(' '),
              audience: entry.resource,
              accessTokenFormat: 'opaque',
              accessTokenTTL,
            };
          },
          useGrantedResource: async () => true,
        },
      },
      // Issue refresh tokens to every client allowed the refresh_token grant
      // (the default additionally requires the offline_access scope).
      issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      // Tokens do not die with the AS login session cookie.
      expiresWithSession: async () => false,
      ttl: {
        AccessToken: accessTokenTTL,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 3600,
        Session: 14 * 24 * 60 * 60,
        Grant: grantTTL,
        // Absolute lifetime: a rotated refresh token inherits what is left of its predecessor's.
        RefreshToken: (ctx) => {
          const rotated = ctx?.oidc?.entities?.RotatedRefreshToken;
          return rotated ? Math.max(1, rotated.remainingTTL) : refreshTokenTTL;
        },
      },
      clientBasedCORS: (ctx, origin) => allowedOrigins.has(origin) && CORS_ROUTES.has(ctx.oidc.route),
      findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, name: accounts.get(sub) ?? sub }),
      }),
      interactions: {
        url: async (ctx, interaction) => `/interaction/${interaction.uid}`,
      },
      renderError: async (ctx, out, error) => {
        debug('renderError', out, error?.message);
        ctx.type = 'html';
        ctx.set(PAGE_HEADERS);
        ctx.body = errorPage({
          message: 'The authorization request could not be processed.',
          details: { error: out.error, error_description: out.error_description },
        });
      },
    };

    const provider = await quietly(() => new Provider(issuer, configuration));
    provider.proxy = false;
    provider.silent = !DEBUG;

    // --- secrets: values the client sees for opaque artefacts are their `jti`.
    provider.on('authorization_code.saved', (code) => addSecret(code.jti));
    provider.on('access_token.saved', (token) => addSecret(token.jti));
    provider.on('refresh_token.saved', (token) => addSecret(token.jti));
    provider.on('server_error', (ctx, err) => console.error('[auth-server] server_error', err));
    if (DEBUG) {
      for (const ev of ['grant.error', 'authorization.error', 'registration_create.error', 'revocation.error', 'introspection.error']) {
        provider.on(ev, (ctx, err) => debug(ev, err?.message, err?.error_detail ?? err?.error_description ?? ''));
      }
    }

    // --- 1. request log, CORS, and secret capture at the token endpoint.
    provider.use(async (ctx, next) => {
      /** @type {{ method: string, path: string, time: number, grantType?: string, scope?: string }} */
      const record = { method: ctx.method, path: ctx.path, time: Date.now() };
      // The scope an authorization request asked for (tests: a client's scope setting reaches the AS).
      if (ctx.method === 'GET' && typeof ctx.query.scope === 'string') record.scope = ctx.query.scope;
      requests.push(record);
      if ((await held(ctx, 'request')) === 'drop') return;
      if (downgradeDpop) {
        // Behave like a server that lists DPoP but does not implement it: no code binding, no proofs.
        if (ctx.path === '/token') delete ctx.req.headers.dpop;
        if (ctx.query.dpop_jkt !== undefined) {
          const query = new URLSearchParams(ctx.querystring);
          query.delete('dpop_jkt');
          ctx.querystring = query.toString();
        }
      }
      debug(ctx.method, ctx.url);

      const origin = ctx.get('Origin');
      const corsPath = CORS_PATHS.has(ctx.path);
      const allowed = Boolean(origin) && allowedOrigins.has(origin);

      // Preflights are answered here, for every path.
      if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
        ctx.vary('Origin');
        if (allowed && (corsPath || ctx.path === '/me')) {
          ctx.set('Access-Control-Allow-Origin', origin);
          ctx.set('Access-Control-Allow-Methods', CORS_ALLOW_METHODS);
          ctx.set('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
          ctx.set('Access-Control-Max-Age', '600');
        }
        ctx.status = 204;
        return;
      }

      if (corsPath) {
        ctx.vary('Origin');
        // Setting an Access-Control-* header first makes oidc-provider skip its
        // own (wildcard / client-based) CORS handling for this request.
        if (allowed) {
          ctx.set('Access-Control-Allow-Origin', origin);
          ctx.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
        }
      }

      try {
        await next();
        await held(ctx, 'answer');
      } finally {
        if (ctx.path === '/token' && ctx.method === 'POST') {
          const oidc = /** @type {any} */ (ctx).oidc;
          record.grantType = oidc?.params?.grant_type;
          addSecret(oidc?.body?.code_verifier ?? oidc?.params?.code_verifier);
          const body = /** @type {any} */ (ctx.body);
          if (body && typeof body === 'object') {
            addSecret(body.access_token);
            addSecret(body.refresh_token);
          }
        }
        if (!allowed) {
          // Never let a non-listed origin read anything (and no wildcard for
          // requests without Origin either).
          for (const name of Object.keys(ctx.response.headers)) {
            if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name);
          }
        } else if (corsPath && allowed && !ctx.response.get('Access-Control-Allow-Origin')) {
          ctx.set('Access-Control-Allow-Origin', origin);
          ctx.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
        }
      }
    });

    // --- 2. login / consent interactions (auth-interactions.mjs).
    provider.use(interactionRoutes({ provider, accounts, approveAutomatically, debug }));

    handler = provider.callback();

    /** @type {AuthServerHandle['introspect']} */
    const introspect = async (token) => {
      const basic = Buffer.from(
        `${encodeURIComponent(introspectionClient.clientId)}:${encodeURIComponent(introspectionClient.clientSecret)}`,
      ).toString('base64');
      const res = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({ token }),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`introspection failed: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    let closing;
    return {
      issuer,
      port: boundPort,
      close() {
        closing ??= new Promise((resolve, reject) => {
          server.close((err) => (err ? reject(err) : resolve(undefined)));
          server.closeAllConnections();
        });
        return closing;
      },
      secrets: () => [...secretSet],
      requests,
      introspect,
      /**
       * Tests only: the next `method path` request waits, once `reached`, until it is released or
       * dropped. At stage 'request' it waits before it is handled, and dropping it closes the
       * connection with nothing processed; at stage 'answer' it is handled first, and dropping it
       * loses the answer.
       * @param {string} method
       * @param {string} path
       * @param {'request' | 'answer'} [stage]
       */
      hold(method, path, stage = 'request') {
        /** @type {() => void} */ let arrived = () => {};
        /** @type {(d: 'release' | 'drop') => void} */ let decide = () => {};
        const reached = new Promise((resolve) => (arrived = () => resolve(undefined)));
        const decision = new Promise((resolve) => (decide = resolve));
        holds.push({ method, path, stage, arrived, decision: /** @type {Promise<'release' | 'drop'>} */ (decision) });
        return { reached, release: () => decide('release'), drop: () => decide('drop') };
      },
    };
  } catch (err) {
    server.close();
    server.closeAllConnections();
    throw err;
  }
}
